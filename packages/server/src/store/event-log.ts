/**
 * The event log reader: the one way consumers and the live feed read stored events in order,
 * never skipping one.
 *
 * A row's log position is (txid, seq). On PostgreSQL, `seq` comes from a sequence and is not
 * commit order: a transaction can take seq 5, stay open, and commit after seq 6 was read, and a
 * reader that moved past 6 would never see 5. So the reader only returns rows whose inserting
 * transaction (txid) precedes the oldest transaction still running (the snapshot's xmin): every
 * transaction below that horizon has finished, so no row can ever appear behind a position
 * already read. Rows are returned in (txid, seq) order, a total order every reader agrees on.
 * The cost is latency, not loss: a row waits until every older transaction has ended.
 *
 * On SQLite writers are serialized and a reader sees only committed rows, so row order is commit
 * order; `txid` is always 0 and the same queries read in `seq` order with no horizon.
 *
 * Indexes: `events_org_log` (org_id, txid, seq) for one organization, `events_log` (txid, seq)
 * for the whole log (migration 007); every read is a range scan in the order of the answer.
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from './engine.js';
import type { EventRow } from './event-rows.js';
import type { EventFilter, EventRepository } from './events.js';
import type { Database } from './schema.js';

/** Where a reader stands in the log: it has read every row at or before this position. */
export interface LogPosition {
  txid: number;
  seq: number;
}

/** Before every row: a reader starting here backfills the whole log. */
export const LOG_START: LogPosition = { txid: 0, seq: 0 };

/** The log position of a stored row. */
export const positionOf = (row: Pick<EventRow, 'txid' | 'seq'>): LogPosition => ({
  txid: Number(row.txid),
  seq: Number(row.seq),
});

/** Negative when `a` comes before `b` in the log, 0 when equal, positive after. */
export const comparePositions = (a: LogPosition, b: LogPosition): number =>
  a.txid !== b.txid ? a.txid - b.txid : a.seq - b.seq;

/** What part of the log to read: one organization's (optionally filtered) or all of it. */
export interface LogScope {
  orgId?: string;
  filter?: EventFilter;
}

/** The oldest transaction id still running, as a bigint expression evaluated in the reading statement. */
const HORIZON = sql<number>`(select pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`;

export class EventLog {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
    private readonly events: EventRepository,
  ) {}

  /**
   * Up to `limit` rows after `after`, in log order, that no running transaction can precede.
   * `db` lets a consumer read inside its own transaction.
   */
  async read(
    after: LogPosition,
    limit: number,
    scope: LogScope = {},
    db: Kysely<Database> = this.db,
  ): Promise<EventRow[]> {
    const [sameTransaction, laterTransactions] = this.readQueries(after, limit, scope, db);
    const rows = await sameTransaction.execute();
    if (rows.length >= limit) return rows;
    return rows.concat(await laterTransactions.limit(limit - rows.length).execute());
  }

  /**
   * The two index range scans of `read`: the rest of `after`'s transaction, then the later
   * transactions. One comparison of (txid, seq) pairs would be a single statement, but SQLite
   * bounds its index range by txid alone there (always 0 on SQLite): it would walk every row
   * of the organization from the start on each read.
   */
  readQueries(after: LogPosition, limit: number, scope: LogScope, db: Kysely<Database> = this.db) {
    const base = () => {
      let q = db.selectFrom('events').selectAll();
      if (scope.orgId !== undefined) q = q.where('org_id', '=', scope.orgId);
      if (this.engine === 'postgres') q = q.where('txid', '<', HORIZON);
      const filter = scope.filter;
      if (filter) q = q.where((eb) => this.events.filterExpression(eb, filter));
      return q;
    };
    return [
      base()
        .where('txid', '=', after.txid)
        .where('seq', '>', after.seq)
        .orderBy('txid')
        .orderBy('seq')
        .limit(limit),
      base().where('txid', '>', after.txid).orderBy('txid').orderBy('seq').limit(limit),
    ] as const;
  }

  /**
   * The position after everything readable now. A reader starting here gets every row that
   * becomes readable later (and, on PostgreSQL, possibly a few rows that committed just before,
   * while an older transaction was still running): new consumers and new live streams start here.
   */
  async head(): Promise<LogPosition> {
    if (this.engine === 'postgres') {
      const { rows } = await sql<{ horizon: string }>`select ${HORIZON} as horizon`.execute(this.db);
      return { txid: Number(rows[0]?.horizon) - 1, seq: Number.MAX_SAFE_INTEGER };
    }
    const row = await this.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('seq').as('max'))
      .executeTakeFirst();
    return { txid: 0, seq: Number(row?.max ?? 0) };
  }

  /**
   * The position of row `seq` of an organization (a live-feed client's Last-Event-ID). A row
   * since deleted by retention resolves to the position of the nearest older row's transaction.
   */
  async positionOfSeq(orgId: string, seq: number): Promise<LogPosition> {
    const exact = await this.db
      .selectFrom('events')
      .select(['txid', 'seq'])
      .where('seq', '=', seq)
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    if (exact) return positionOf(exact);
    const row = await this.db
      .selectFrom('events')
      .select(['txid', 'seq'])
      .where('org_id', '=', orgId)
      .where('seq', '<=', seq)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return { txid: row ? Number(row.txid) : 0, seq };
  }
}
