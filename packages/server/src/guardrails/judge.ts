/**
 * Judging one event against a set of guardrails, with the history each policy's rule needs read
 * from the store: the one piece of code behind both the guardrails consumer (an event stored,
 * judged against what was stored before it) and the check endpoint and MCP tool (a hypothetical
 * event, judged against everything stored, nothing written).
 */
import type { Kysely } from 'kysely';
import { judgeFreeze } from '../domain/guardrails/freeze.js';
import { historyNeed, judgePolicy } from '../domain/guardrails/policy.js';
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

/** "May I deploy now?": a hypothetical event judged against the organization's enabled guardrails; nothing is stored. */
export async function checkEvent(
  repo: GuardrailRepository,
  orgId: string,
  event: JudgedEvent,
): Promise<Broken[]> {
  const set = (await repo.enabledFor([orgId])).get(orgId);
  return set ? judgeEvent(repo, orgId, set, event, null, Number.POSITIVE_INFINITY) : [];
}
