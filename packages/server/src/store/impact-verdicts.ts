/**
 * Stored impact verdicts (migration 015): pending rows written by the impact consumer in its
 * batch transaction, filled in by the impact job, listed as regressions newest event first.
 */
import { ApiError } from '@opstrails/core';
import type { Kysely } from 'kysely';
import { foldCase } from './fold-case.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

export interface ImpactVerdictsTable {
  id: string;
  org_id: string;
  event_id: string;
  event_source: string;
  event_time: number;
  subject: string;
  subject_lower: string;
  window: string;
  due_at: number;
  verdict: string;
  summary: string | null;
  report: string | null;
  attempts: number;
  judged_at: number | null;
  created_at: number;
}

type ImpactDatabase = Database & { impact_verdicts: ImpactVerdictsTable };
export type ImpactVerdictRow = ImpactVerdictsTable;

export const PENDING = 'pending';
/** A row whose metrics could not be read this many times is given up (verdict `failed`). */
export const MAX_ATTEMPTS = 5;

export interface PendingJudgement {
  orgId: string;
  eventId: string;
  eventSource: string;
  eventTime: number;
  subject: string;
  window: string;
  dueAt: number;
}

const encodeCursor = (time: number, id: string) =>
  Buffer.from(JSON.stringify([time, id])).toString('base64url');

function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // answered below
  }
  throw new ApiError(
    'VALIDATION_ERROR',
    'cursor: is not a cursor of this list; pass the nextCursor of the previous page unchanged',
  );
}

/** PostgreSQL answers BIGINT columns as strings. */
const toRow = (r: ImpactVerdictRow): ImpactVerdictRow => ({
  ...r,
  event_time: Number(r.event_time),
  due_at: Number(r.due_at),
  judged_at: r.judged_at === null ? null : Number(r.judged_at),
  created_at: Number(r.created_at),
});

export class ImpactVerdictRepository {
  private readonly db: Kysely<ImpactDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<{ impact_verdicts: ImpactVerdictsTable }>();
  }

  /** Idempotent: an event already recorded keeps its row. */
  async addPending(items: PendingJudgement[], now: number): Promise<void> {
    if (items.length === 0) return;
    await this.db
      .insertInto('impact_verdicts')
      .values(
        items.map((p) => ({
          id: newId('imp'),
          org_id: p.orgId,
          event_id: p.eventId,
          event_source: p.eventSource,
          event_time: p.eventTime,
          subject: p.subject,
          subject_lower: foldCase(p.subject),
          window: p.window,
          due_at: p.dueAt,
          verdict: PENDING,
          attempts: 0,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['org_id', 'event_source', 'event_id']).doNothing())
      .execute();
  }

  async due(now: number, limit: number): Promise<ImpactVerdictRow[]> {
    const rows = await this.db
      .selectFrom('impact_verdicts')
      .selectAll()
      .where('verdict', '=', PENDING)
      .where('due_at', '<=', now)
      .orderBy('due_at')
      .limit(limit)
      .execute();
    return rows.map(toRow);
  }

  async record(id: string, verdict: string, summary: string, report: unknown, now: number): Promise<void> {
    await this.db
      .updateTable('impact_verdicts')
      .set({ verdict, summary, report: JSON.stringify(report), judged_at: now })
      .where('id', '=', id)
      .execute();
  }

  /** A failed attempt: tried again on the next run, given up after MAX_ATTEMPTS. */
  async failed(row: ImpactVerdictRow, message: string, now: number): Promise<void> {
    const attempts = row.attempts + 1;
    await this.db
      .updateTable('impact_verdicts')
      .set(
        attempts >= MAX_ATTEMPTS
          ? { attempts, verdict: 'failed', summary: message, judged_at: now }
          : { attempts, summary: message },
      )
      .where('id', '=', row.id)
      .execute();
  }

  async forEvent(orgId: string, eventSource: string, eventId: string): Promise<ImpactVerdictRow | undefined> {
    const row = await this.db
      .selectFrom('impact_verdicts')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('event_source', '=', eventSource)
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    return row && toRow(row);
  }

  /** Regressed events among `events` (source + id pairs), for ranking what changed. */
  async regressedAmong(orgId: string, events: { source: string; id: string }[]): Promise<Set<string>> {
    if (events.length === 0) return new Set();
    const rows = await this.db
      .selectFrom('impact_verdicts')
      .select(['event_source', 'event_id'])
      .where('org_id', '=', orgId)
      .where('verdict', '=', 'regressed')
      .where(
        'event_id',
        'in',
        events.map((e) => e.id),
      )
      .execute();
    const wanted = new Set(events.map((e) => `${e.source}\u0000${e.id}`));
    return new Set(rows.map((r) => `${r.event_source}\u0000${r.event_id}`).filter((k) => wanted.has(k)));
  }

  async regressions(
    orgId: string,
    options: { from?: number; to?: number; subject?: string; limit: number; cursor?: string },
  ): Promise<{ rows: ImpactVerdictRow[]; nextCursor: string | null }> {
    let q = this.db
      .selectFrom('impact_verdicts')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('verdict', '=', 'regressed');
    if (options.from !== undefined) q = q.where('event_time', '>=', options.from);
    if (options.to !== undefined) q = q.where('event_time', '<=', options.to);
    if (options.subject !== undefined) q = q.where('subject_lower', '=', foldCase(options.subject));
    if (options.cursor) {
      const [time, id] = decodeCursor(options.cursor);
      q = q.where((eb) =>
        eb.or([eb('event_time', '<', time), eb.and([eb('event_time', '=', time), eb('id', '<', id)])]),
      );
    }
    const rows = await q
      .orderBy('event_time', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit).map(toRow);
    const last = page[page.length - 1];
    return {
      rows: page,
      nextCursor: rows.length > options.limit && last ? encodeCursor(last.event_time, last.id) : null,
    };
  }
}
