/**
 * Keeps the stored judgement of every deployment (store/dora-judgements.ts) current, so a range
 * is answered by reading indexed rows instead of judging every deployment on each request.
 *
 * What changes a judgement: an event of a deploy, rollback or incident type stored or deleted.
 * The dora consumer (reactions/consumers/dora.ts) marks the UTC day of each stored one; the
 * deletion trigger of migration 021 marks the day of each deleted one. An event on day X can
 * change the judgement of deployments from day X - SPREAD_DAYS to X + SPREAD_DAYS (it is looked
 * for up to 7 days after a deployment, and a deployment's rework depends on the one before it),
 * so before a range is read, every marked day near it is judged again over that spread, with
 * the events around it (CONTEXT_BEFORE, CONTEXT_AFTER), and its mark cleared. Events the
 * consumer has not reached yet are read from the log past its cursor and judged the same way
 * (without clearing anything), so an answer always includes the events already stored.
 */
import { type JudgedDeployment, judgeTimeline, type VersionHistory } from '../domain/dora/attribution.js';
import { type DoraEvent, isDeploymentType, isDoraType } from '../domain/dora/events.js';
import { DAY_MS } from '../domain/dora/stats.js';
import { type DeploymentRow, type DirtyDay, DoraJudgementRepository } from '../store/dora-judgements.js';
import { DoraQueries, type VersionFirst } from '../store/dora-queries.js';
import { LOG_START } from '../store/event-log.js';
import { foldCase } from '../store/fold-case.js';
import type { Store } from '../store/store.js';

/** The consumer that marks changed days; its cursor says which stored events are already marked. */
export const DORA_CONSUMER = 'dora';
/** How many days around a changed day have judgements that may change. */
export const SPREAD_DAYS = 8;
/** Events read before and after the deployments judged, so each sees its neighbours. */
const CONTEXT_BEFORE = 15 * DAY_MS;
const CONTEXT_AFTER = 8 * DAY_MS;
/** Days judged per pass, so a long backlog is judged in bounded memory. */
const SPAN_DAYS = 30;
/** Past this many events not yet marked by the consumer, the whole range is judged again. */
const PENDING_MAX = 5_000;

export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

export class DoraJudgements {
  readonly repo: DoraJudgementRepository;
  private readonly queries: DoraQueries;

  constructor(private readonly store: Store) {
    this.repo = new DoraJudgementRepository(store.db, store.readDb, store.engine);
    this.queries = new DoraQueries(store.readDb, store.engine);
  }

  /**
   * Makes the stored judgements of the deployments in [from, to) current for this failure
   * window; returns the mark to compare later changes with (taken before anything was read).
   */
  async refresh(orgId: string, from: number, to: number, failureWindowMs: number): Promise<number> {
    if ((await this.repo.judgedWindow(orgId)) !== failureWindowMs)
      await this.repo.rejudgeWithWindow(orgId, failureWindowMs);
    const mark = await this.repo.lastMark();
    const first = dayOf(from);
    const last = dayOf(to - 1);
    const marked = await this.repo.dirty(orgId, first - SPREAD_DAYS, last + SPREAD_DAYS);
    const days = new Set<number>();
    const spread = (day: number) => {
      for (let d = day - SPREAD_DAYS; d <= day + SPREAD_DAYS; d++) days.add(d);
    };
    for (const m of marked) spread(m.day);
    const cursor = await this.store.consumerCursors.get(DORA_CONSUMER);
    const { rows } = await this.queries.typesAfter(orgId, cursor?.position ?? LOG_START, PENDING_MAX);
    if (rows.length === PENDING_MAX) for (let d = first; d <= last; d++) days.add(d);
    for (const row of rows) {
      const day = dayOf(row.time);
      if (isDoraType(row.type) && day >= first - SPREAD_DAYS && day <= last + SPREAD_DAYS) spread(day);
    }
    if (days.size === 0) return mark;
    const types = (await this.queries.distinct(orgId, 'type_lower')).filter(isDoraType);
    for (const [a, b] of spans([...days].sort((x, y) => x - y)))
      await this.judge(orgId, a * DAY_MS, b * DAY_MS, types, failureWindowMs);
    await this.repo.clear(orgId, marked);
    return mark;
  }

  /** Judges the deployments of [from, to) again and stores them. */
  private async judge(orgId: string, from: number, to: number, types: string[], failureWindowMs: number) {
    const deployTypes = types.filter(isDeploymentType);
    const [deployments, others] = await Promise.all([
      this.queries.events(orgId, deployTypes, from - CONTEXT_BEFORE, to + CONTEXT_AFTER),
      this.queries.events(
        orgId,
        types.filter((t) => !isDeploymentType(t)),
        from - CONTEXT_BEFORE,
        to + CONTEXT_AFTER,
      ),
    ]);
    const versions = [...new Set(deployments.flatMap((d) => (d.version ? [d.version] : [])))];
    const history = versionHistory(await this.queries.versionFirsts(orgId, versions, isDeploymentType));
    const judged = judgeTimeline({
      events: [...deployments, ...others],
      measured: () => true,
      failureWindowMs,
      versions: history,
    });
    const rows = judged
      .filter((j) => j.deployment.time >= from && j.deployment.time < to)
      .map((j) => toRow(orgId, j));
    await this.repo.replace(orgId, from, to, rows);
  }
}

/** Runs of consecutive days as [first, end) day numbers, each at most SPAN_DAYS long. */
function spans(days: number[]): [number, number][] {
  const out: [number, number][] = [];
  for (const day of days) {
    const current = out.at(-1);
    if (current && current[1] === day && current[1] - current[0] < SPAN_DAYS) current[1] = day + 1;
    else out.push([day, day + 1]);
  }
  return out;
}

function toRow(orgId: string, j: JudgedDeployment): DeploymentRow {
  const d = j.deployment;
  const f = j.failure;
  const r = j.restore;
  return {
    org_id: orgId,
    event_source: d.source,
    event_id: d.id,
    time: d.time,
    subject: d.subject as string,
    subject_lower: foldCase(d.subject as string),
    source_lower: foldCase(d.source),
    type: d.type,
    version: d.version,
    evidence: f?.evidence ?? null,
    failure: f
      ? JSON.stringify({
          reason: f.reason,
          reasons: f.reasons,
          revealedBy: f.revealedBy && refOf(f.revealedBy),
        })
      : null,
    restore: r
      ? JSON.stringify({
          startId: r.start.id,
          startTime: r.start.time,
          endId: r.end.id,
          endTime: r.end.time,
          how: r.how,
        })
      : null,
    restore_ms: r?.ms ?? null,
    rework: j.rework,
    lead_ms: j.leadMs,
    commits: j.commits,
    promotion_ms: j.promotionMs,
  };
}

/** The fields of an event the answer shows (metrics.ts makes its refs from them). */
const refOf = (e: DoraEvent) => ({
  id: e.id,
  source: e.source,
  subject: e.subject,
  type: e.type,
  version: e.version,
  time: e.time,
});

const asEvent = (ref: ReturnType<typeof refOf>): DoraEvent => ({ ...ref, severity: null, data: null });

/** A stored judgement as the metrics read it. */
export function fromRow(row: DeploymentRow): JudgedDeployment {
  const deployment = asEvent({
    id: row.event_id,
    source: row.event_source,
    subject: row.subject,
    type: row.type,
    version: row.version,
    time: Number(row.time),
  });
  const failure = row.failure === null ? null : JSON.parse(row.failure);
  const restore = row.restore === null ? null : JSON.parse(row.restore);
  const num = (v: number | string | null) => (v === null ? null : Number(v));
  return {
    deployment,
    failure:
      failure && row.evidence
        ? {
            evidence: row.evidence as NonNullable<JudgedDeployment['failure']>['evidence'],
            reason: failure.reason,
            reasons: failure.reasons,
            revealedBy: failure.revealedBy ? asEvent(failure.revealedBy) : null,
          }
        : null,
    restore: restore
      ? {
          start: asEvent({ ...deployment, id: restore.startId, time: restore.startTime }),
          end: asEvent({ ...deployment, id: restore.endId, time: restore.endTime }),
          how: restore.how,
          ms: Number(row.restore_ms),
        }
      : null,
    rework: row.rework,
    leadMs: num(row.lead_ms),
    commits: Number(row.commits),
    promotionMs: num(row.promotion_ms),
  };
}

function versionHistory(firsts: VersionFirst[]): VersionHistory {
  const anywhere = new Map<string, number>();
  const onStream = new Map<string, number>();
  for (const f of firsts) {
    const a = `${f.source}\u0000${f.version}`;
    anywhere.set(a, Math.min(anywhere.get(a) ?? f.first, f.first));
    onStream.set(`${f.source}\u0000${f.subject}\u0000${f.version}`, f.first);
  }
  return {
    firstAnywhere: (source, version) => anywhere.get(`${source}\u0000${version}`),
    firstOnStream: (source, subject, version) => onStream.get(`${source}\u0000${subject}\u0000${version}`),
  };
}

export type { DirtyDay };
