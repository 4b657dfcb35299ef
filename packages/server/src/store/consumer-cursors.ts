/**
 * Where each consumer of the event log stands (its cursor), its failure bookkeeping, the events
 * it gave up on, and how far behind it is. The runner (reactions/consumer-runner.ts) decides;
 * this file only reads and writes the rows.
 */
import type { Kysely } from 'kysely';
import type { Engine } from './engine.js';
import { type LogPosition, positionOf } from './event-log.js';
import type { EventRow } from './event-rows.js';
import type { Database } from './schema.js';

export interface ConsumerCursor {
  name: string;
  position: LogPosition;
  updatedAt: number;
  /** Consecutive failed attempts at the batch after `position`; 0 when healthy. */
  failures: number;
  /** No attempt before this instant (epoch ms). */
  retryAt: number;
  lastError: string | null;
}

export interface SkippedEvent {
  consumer: string;
  seq: number;
  orgId: string;
  eventId: string;
  attempts: number;
  error: string;
  skippedAt: number;
}

export interface ConsumerLag {
  /** Stored events after the cursor, counted up to `LAG_COUNT_CAP`. */
  behind: number;
  /** Age of the oldest event the consumer has not handled yet (ms since it was received); 0 when caught up. */
  oldestAgeMs: number;
}

/** Counting a huge backlog exactly costs a scan of it; past this the answer says "at least". */
export const LAG_COUNT_CAP = 100_000;

type CursorRow = Database['consumer_cursors'];

const toCursor = (
  row: {
    [K in keyof CursorRow]: unknown;
  },
): ConsumerCursor => ({
  name: String(row.name),
  position: { txid: Number(row.txid), seq: Number(row.seq) },
  updatedAt: Number(row.updated_at),
  failures: Number(row.failures),
  retryAt: Number(row.retry_at),
  lastError: row.last_error === null ? null : String(row.last_error),
});

export class ConsumerCursorRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  /** Creates the cursor at `start()` unless it exists (on any instance); answers the stored one. */
  async ensure(name: string, start: () => Promise<LogPosition>, now = Date.now()): Promise<ConsumerCursor> {
    const existing = await this.get(name);
    if (existing) return existing;
    const at = await start();
    await this.db
      .insertInto('consumer_cursors')
      .values({ name, txid: at.txid, seq: at.seq, updated_at: now })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    return (await this.get(name)) as ConsumerCursor;
  }

  async get(name: string, db: Kysely<Database> = this.db): Promise<ConsumerCursor | null> {
    const row = await db
      .selectFrom('consumer_cursors')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? toCursor(row) : null;
  }

  async list(): Promise<ConsumerCursor[]> {
    const rows = await this.db.selectFrom('consumer_cursors').selectAll().orderBy('name').execute();
    return rows.map(toCursor);
  }

  /**
   * Inside a batch transaction: the cursor, locked until the transaction ends. On PostgreSQL
   * another instance's lock answers null at once (SKIP LOCKED): that instance is processing this
   * consumer. SQLite has one writer at a time; the transaction itself is the lock.
   */
  async lock(name: string, trx: Kysely<Database>): Promise<ConsumerCursor | null> {
    let q = trx.selectFrom('consumer_cursors').selectAll().where('name', '=', name);
    if (this.engine === 'postgres') q = q.forUpdate().skipLocked();
    const row = await q.executeTakeFirst();
    return row ? toCursor(row) : null;
  }

  /** Moves the cursor to `to` and clears the failure bookkeeping (in the batch's transaction). */
  async advance(name: string, to: LogPosition, trx: Kysely<Database>, now = Date.now()): Promise<void> {
    await trx
      .updateTable('consumer_cursors')
      .set({ txid: to.txid, seq: to.seq, updated_at: now, failures: 0, retry_at: 0, last_error: null })
      .where('name', '=', name)
      .execute();
  }

  /**
   * Records a failed attempt at the batch after `at`. Does nothing if the cursor moved meanwhile
   * (another instance got past the batch), so a stale failure never holds a healthy consumer back.
   */
  async recordFailure(
    name: string,
    at: LogPosition,
    failures: number,
    retryAt: number,
    error: string,
    now = Date.now(),
  ): Promise<void> {
    await this.db
      .updateTable('consumer_cursors')
      .set({ failures, retry_at: retryAt, last_error: error, updated_at: now })
      .where('name', '=', name)
      .where('txid', '=', at.txid)
      .where('seq', '=', at.seq)
      .execute();
  }

  /** Gives up on one event: records it with its error and moves the cursor past it (in one transaction). */
  async skip(
    name: string,
    event: EventRow,
    attempts: number,
    error: string,
    trx: Kysely<Database>,
    now = Date.now(),
  ): Promise<void> {
    const at = positionOf(event);
    await trx
      .insertInto('consumer_skipped')
      .values({
        consumer: name,
        seq: at.seq,
        txid: at.txid,
        org_id: event.org_id,
        event_id: event.id,
        attempts,
        error,
        skipped_at: now,
      })
      .onConflict((oc) => oc.columns(['consumer', 'seq']).doNothing())
      .execute();
    await this.advance(name, at, trx, now);
  }

  /** The events a consumer gave up on, newest first. */
  async skipped(name: string, limit = 100): Promise<SkippedEvent[]> {
    const rows = await this.db
      .selectFrom('consumer_skipped')
      .selectAll()
      .where('consumer', '=', name)
      .orderBy('txid', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      consumer: r.consumer,
      seq: Number(r.seq),
      orgId: r.org_id,
      eventId: r.event_id,
      attempts: Number(r.attempts),
      error: r.error,
      skippedAt: Number(r.skipped_at),
    }));
  }

  /** How far behind a cursor at `position` is: events stored after it, and the age of the oldest. */
  async lag(position: LogPosition, now = Date.now()): Promise<ConsumerLag> {
    const after = this.db
      .selectFrom('events')
      .where((eb) => eb(eb.refTuple('txid', 'seq'), '>', eb.tuple(position.txid, position.seq)));
    const counted = await this.db
      .selectFrom(after.select('seq').limit(LAG_COUNT_CAP).as('behind'))
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirst();
    const oldest = await after
      .select('received_at')
      .orderBy('txid')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    return {
      behind: Number(counted?.n ?? 0),
      oldestAgeMs: oldest ? Math.max(0, now - Number(oldest.received_at)) : 0,
    };
  }
}
