/**
 * Judging events against a set of guardrails, with the history each policy's rule needs read
 * from the store: the one piece of code behind both the guardrails consumer (a batch of stored
 * events, each judged against what was stored before it) and the check endpoint and MCP tool (a
 * hypothetical event, judged against everything stored, nothing written).
 */
import type { Kysely } from 'kysely';
import { judgeFreeze } from '../domain/guardrails/freeze.js';
import { historyNeed, judgePolicy, selectPrior } from '../domain/guardrails/policy.js';
import type { HistoryNeed } from '../domain/guardrails/rules/rule.js';
import type { Finding, JudgedEvent } from '../domain/guardrails/types.js';
import type { LogPosition } from '../store/event-log.js';
import type { GuardrailRepository, StoredFreeze, StoredPolicy } from '../store/guardrails.js';
import type { Database } from '../store/schema.js';

export interface Broken {
  finding: Finding;
  guardrail: StoredFreeze | StoredPolicy;
}

export interface GuardrailSet {
  freezes: StoredFreeze[];
  policies: StoredPolicy[];
}

export async function judgeEvent(
  repo: GuardrailRepository,
  orgId: string,
  set: GuardrailSet,
  event: JudgedEvent,
  /** Judge against the events stored before this log position; null: against every stored event. */
  before: LogPosition | null,
  /** Guardrails created after this instant do not judge (an event is judged by those that existed when it was stored). */
  existingAt: number,
  db?: Kysely<Database>,
): Promise<Broken[]> {
  const broken: Broken[] = [];
  for (const w of set.freezes) {
    if (w.createdAt > existingAt) continue;
    const finding = judgeFreeze(w, event);
    if (finding) broken.push({ finding, guardrail: w });
  }
  for (const p of set.policies) {
    if (p.createdAt > existingAt) continue;
    const need = historyNeed(p, event);
    const prior = need ? await repo.history(orgId, p, need, event, before, db) : [];
    const finding = judgePolicy(p, event, prior);
    if (finding) broken.push({ finding, guardrail: p });
  }
  return broken;
}

/** One stored event of a batch: where it is in the log, and when it was stored. */
export interface BatchItem {
  event: JudgedEvent;
  position: LogPosition;
  /** Guardrails created after this instant do not judge it. */
  existingAt: number;
}

/**
 * A batch's span query returns at most this many events per policy, the newest: enough to
 * decide most events of a burst (a cap already reached); the others ask for their own history.
 */
export const SPAN_CAP = 64;

/**
 * Judges one organization's stored events, in log order, as `judgeEvent` would one by one, with
 * one history query per policy for the whole batch instead of one per event: the events stored
 * before the batch come from the store (the batch's window at once), the batch's own earlier
 * events from memory. Answers the broken guardrails of each item, in the items' order.
 */
export async function judgeBatch(
  repo: GuardrailRepository,
  orgId: string,
  set: GuardrailSet,
  items: readonly BatchItem[],
  db?: Kysely<Database>,
  spanCap = SPAN_CAP,
): Promise<Broken[][]> {
  const out = items.map(() => [] as Broken[]);
  items.forEach((item, i) => {
    for (const w of set.freezes) {
      if (w.createdAt > item.existingAt) continue;
      const finding = judgeFreeze(w, item.event);
      if (finding) out[i]?.push({ finding, guardrail: w });
    }
  });
  for (const p of set.policies) {
    // undefined: the policy does not judge this event (it came later); null: no history needed.
    const needs = items.map((item) =>
      p.createdAt > item.existingAt ? undefined : historyNeed(p, item.event),
    );
    const priors = await batchPriors(repo, orgId, p, items, needs, db, spanCap);
    items.forEach((item, i) => {
      if (needs[i] === undefined) return;
      const finding = judgePolicy(p, item.event, priors[i] ?? []);
      if (finding) out[i]?.push({ finding, guardrail: p });
    });
  }
  return out;
}

async function batchPriors(
  repo: GuardrailRepository,
  orgId: string,
  p: StoredPolicy,
  items: readonly BatchItem[],
  needs: readonly (HistoryNeed | null | undefined)[],
  db: Kysely<Database> | undefined,
  spanCap: number,
): Promise<JudgedEvent[][]> {
  const priors = items.map(() => [] as JudgedEvent[]);
  const asked = needs.flatMap((need, i) => (need ? [{ need, i }] : []));
  const first = asked[0];
  if (!first || !items[0]) return priors;
  const before = items[0].position;
  // A rule needs the same narrowing for every event (types, same source and subject or not).
  const pairs = new Set(asked.map(({ i }) => `${items[i]?.event.source}\u0000${items[i]?.event.subject}`));
  const sameAs = first.need.sameSourceAndSubject && pairs.size === 1 ? items[first.i]?.event : undefined;
  const oneWindow = asked.every(({ need }) => need.from === first.need.from && need.to === first.need.to);
  let span: { rows: JudgedEvent[]; complete: boolean };
  if (oneWindow && (sameAs || !first.need.sameSourceAndSubject)) {
    // Every event asks the same question of the store (a day's cap, one instant): the first
    // one's own query, limit included, answers all (the rest of each answer is in the batch).
    const rows = await repo.history(orgId, p, first.need, items[first.i]?.event as JudgedEvent, before, db);
    span = { rows, complete: true };
  } else {
    const from = Math.min(...asked.map(({ need }) => need.from));
    const to = Math.max(...asked.map(({ need }) => need.to));
    span = await repo.historySpan(
      orgId,
      p,
      { from, to, types: first.need.types },
      sameAs,
      before,
      spanCap,
      db,
    );
  }
  // Cut short, the span holds every stored event newer than its oldest one (ties at that instant
  // may be missing): exact for a window that starts later, and for one already full there.
  const oldest = span.complete
    ? Number.NEGATIVE_INFINITY
    : (span.rows.at(-1)?.time ?? Number.NEGATIVE_INFINITY);
  const known = span.rows.filter((x) => x.time > oldest);
  for (const { need, i } of asked) {
    const item = items[i] as BatchItem;
    const prior = selectPrior(p, need, item.event, [...known, ...items.slice(0, i).map((x) => x.event)]);
    const full =
      need.limit !== undefined &&
      prior.length >= need.limit &&
      // Counting rules need only the count; the newest-first ones need the newest, all after `oldest`.
      (!need.newestFirst || prior.every((x) => x.time > oldest));
    priors[i] =
      need.from > oldest || full
        ? prior
        : // Not decided by the span: this event's own query, against the log up to itself.
          await repo.history(orgId, p, need, item.event, item.position, db);
  }
  return priors;
}

/** "May I deploy now?": a hypothetical event judged against the organization's enabled guardrails; nothing is stored. */
export async function checkEvent(
  repo: GuardrailRepository,
  orgId: string,
  event: JudgedEvent,
): Promise<Broken[]> {
  const set = (await repo.enabledFor([orgId])).get(orgId);
  return set ? judgeEvent(repo, orgId, set, event, null, Number.POSITIVE_INFINITY) : [];
}
