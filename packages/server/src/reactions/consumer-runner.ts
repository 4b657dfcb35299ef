/**
 * Runs consumers over the event log. Each consumer has its own loop: take the cursor (locked for
 * the batch), read the next batch after it with the log reader, call the handler, advance the
 * cursor, commit, all in one transaction. So the handler's effects in the database and the cursor
 * move together, exactly once, and on PostgreSQL one instance at a time holds a consumer (the
 * others skip its locked cursor row and try again at the next wake-up).
 *
 * Failures: a batch whose handler throws is retried one event at a time up to the failing event
 * (the ones before it are handled and committed), and that event is retried with exponential
 * backoff, shared by every instance through the cursor row. After `maxAttempts` failures it is
 * recorded in `consumer_skipped` and the cursor moves past it: one poison event never blocks the
 * rest. Errors outside the handler (the database gone) only delay; they never skip an event.
 */
import type { Kysely } from 'kysely';
import type { ConsumerCursor, ConsumerLag } from '../store/consumer-cursors.js';
import { positionOf } from '../store/event-log.js';
import type { EventRow } from '../store/event-rows.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { type WriteTransaction, writeTransaction } from '../store/write-transaction.js';
import { type BackoffPolicy, backoffDelay } from './backoff.js';
import type { Consumer } from './consumer.js';
import { Sleeper } from './sleeper.js';

export interface ConsumerRunnerOptions {
  /** Pause between looks at the log when nothing woke the runner (ms). */
  pollMs?: number;
  /**
   * Pause after a batch smaller than the batch size, so events committed meanwhile share the next
   * batch's transaction (ms). Without it, steady ingest makes one consumer transaction, with its
   * own commit (an fsync on SQLite), per ingest commit.
   */
  batchDelayMs?: number;
  /** Delays between attempts at a failing event. */
  backoff?: BackoffPolicy;
  /** Failed attempts at one event before it is skipped. */
  maxAttempts?: number;
  /** Told about every failure (handler errors and database errors). */
  onError?: (consumer: string, error: unknown) => void;
  /** Told after every committed batch (the outbox worker wakes on it: the batch may have queued deliveries). */
  onCommitted?: (consumer: string, count: number) => void;
}

export const CONSUMER_DEFAULTS = {
  pollMs: 500,
  batchDelayMs: 25,
  backoff: { baseMs: 1_000, maxMs: 60_000 },
  maxAttempts: 5,
  batchSize: 100,
} as const;

/** The longest pause between attempts while the database keeps failing. */
export const OUTAGE_MAX_PAUSE_MS = 30_000;

/** What one look at a consumer's next batch did. */
export type ConsumerStep =
  | { kind: 'handled'; count: number }
  | { kind: 'idle' }
  /** Another instance holds the consumer right now (PostgreSQL). */
  | { kind: 'busy' }
  /** Backing off after a failure, until `until`. */
  | { kind: 'waiting'; until: number }
  | { kind: 'failed'; failures: number; until: number; error: string }
  | { kind: 'skipped'; seq: number; error: string };

export interface ConsumerStatus extends ConsumerCursor, ConsumerLag {}

const errorText = (error: unknown): string =>
  (error instanceof Error ? (error.stack ?? error.message) : String(error)).slice(0, 2_000);

/** A handler's own failure, told apart from the database failing around it. */
class HandlerError extends Error {
  constructor(
    readonly failure: unknown,
    readonly cursor: ConsumerCursor,
    readonly rows: EventRow[],
  ) {
    super('consumer handler failed');
  }
}

export class ConsumerRunner {
  private readonly transaction: WriteTransaction;
  private readonly sleepers = new Map<string, Sleeper>();
  private loops: Promise<void>[] = [];
  private stopped = false;
  private readonly pollMs: number;
  private readonly batchDelayMs: number;
  private readonly backoff: BackoffPolicy;
  private readonly maxAttempts: number;
  private readonly onError: (consumer: string, error: unknown) => void;
  private readonly onCommitted: (consumer: string, count: number) => void;

  constructor(
    private readonly store: Store,
    private readonly consumers: Consumer[],
    options: ConsumerRunnerOptions = {},
  ) {
    const names = new Set(consumers.map((c) => c.name));
    if (names.size !== consumers.length)
      throw new Error('two consumers have the same name; each needs its own cursor');
    this.transaction = writeTransaction(store.db, store.engine);
    this.pollMs = options.pollMs ?? CONSUMER_DEFAULTS.pollMs;
    this.batchDelayMs = options.batchDelayMs ?? CONSUMER_DEFAULTS.batchDelayMs;
    this.backoff = options.backoff ?? CONSUMER_DEFAULTS.backoff;
    this.maxAttempts = options.maxAttempts ?? CONSUMER_DEFAULTS.maxAttempts;
    this.onError = options.onError ?? (() => undefined);
    this.onCommitted = options.onCommitted ?? (() => undefined);
  }

  /** Creates missing cursors (at the log's head, or its start for a backfill), without running anything. */
  async prepare(): Promise<void> {
    for (const c of this.consumers) {
      await this.store.consumerCursors.ensure(c.name, async () =>
        c.backfill ? { txid: 0, seq: 0 } : this.store.log.head(),
      );
    }
  }

  /** Prepares the cursors and starts one loop per consumer. */
  async start(): Promise<void> {
    await this.prepare();
    this.loops = this.consumers.map((c) => this.loop(c));
  }

  /** New events were committed (here or on another instance): look now rather than at the next poll. */
  wake(): void {
    for (const sleeper of this.sleepers.values()) sleeper.wake();
  }

  /** Stops the loops after their current batch. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const sleeper of this.sleepers.values()) sleeper.stop();
    await Promise.all(this.loops);
  }

  /** Each consumer's cursor, failure state and lag. */
  async status(now = Date.now()): Promise<ConsumerStatus[]> {
    const out: ConsumerStatus[] = [];
    for (const c of this.consumers) {
      const cursor = await this.store.consumerCursors.get(c.name);
      if (cursor) out.push({ ...cursor, ...(await this.store.consumerCursors.lag(cursor.position, now)) });
    }
    return out;
  }

  /**
   * One look at the consumer's next batch. A failing batch of several events is narrowed at once:
   * its events are handled one at a time until the failing one, whose failure is then recorded.
   */
  async runOnce(consumer: Consumer, now = Date.now()): Promise<ConsumerStep> {
    const batchSize = consumer.batchSize ?? CONSUMER_DEFAULTS.batchSize;
    const step = await this.attempt(consumer, batchSize, now);
    if (step.kind !== 'narrow') return step;
    for (let i = 0; i < step.size; i++) {
      const single = await this.attempt(consumer, 1, now);
      // A batch of one is never narrowed further.
      if (single.kind !== 'handled' && single.kind !== 'narrow') return single;
    }
    return { kind: 'handled', count: step.size };
  }

  private async attempt(
    consumer: Consumer,
    batchSize: number,
    now: number,
  ): Promise<ConsumerStep | { kind: 'narrow'; size: number }> {
    try {
      return await this.transaction(async (trx) => {
        const cursor = await this.store.consumerCursors.lock(consumer.name, trx);
        if (!cursor) return { kind: 'busy' };
        if (cursor.retryAt > now) return { kind: 'waiting', until: cursor.retryAt };
        const rows = await this.store.log.read(cursor.position, cursor.failures > 0 ? 1 : batchSize, {}, trx);
        const last = rows.at(-1);
        if (!last) return { kind: 'idle' };
        await this.handle(consumer, rows, cursor, trx);
        await this.store.consumerCursors.advance(consumer.name, positionOf(last), trx);
        return { kind: 'handled', count: rows.length };
      });
    } catch (error) {
      if (!(error instanceof HandlerError)) throw error;
      if (error.rows.length > 1) return { kind: 'narrow', size: error.rows.length };
      return this.failed(consumer, error, now);
    }
  }

  private async handle(consumer: Consumer, rows: EventRow[], cursor: ConsumerCursor, trx: Kysely<Database>) {
    try {
      await consumer.handle(rows, trx);
    } catch (error) {
      throw new HandlerError(error, cursor, rows);
    }
  }

  /** Records a failed attempt at one event, or skips the event once it has failed `maxAttempts` times. */
  private async failed(consumer: Consumer, failure: HandlerError, now: number): Promise<ConsumerStep> {
    const failures = failure.cursor.failures + 1;
    const error = errorText(failure.failure);
    this.onError(consumer.name, failure.failure);
    const event = failure.rows[0] as EventRow;
    if (failures >= this.maxAttempts) {
      const skipped = await this.transaction(async (trx) => {
        const cursor = await this.store.consumerCursors.lock(consumer.name, trx);
        // Someone got past the event meanwhile (another instance's attempt succeeded).
        if (
          !cursor ||
          cursor.position.txid !== failure.cursor.position.txid ||
          cursor.position.seq !== failure.cursor.position.seq
        )
          return false;
        await this.store.consumerCursors.skip(consumer.name, event, failures, error, trx, now);
        return true;
      });
      if (skipped) return { kind: 'skipped', seq: Number(event.seq), error };
      return { kind: 'busy' };
    }
    const until = now + backoffDelay(this.backoff, failures);
    await this.store.consumerCursors.recordFailure(
      consumer.name,
      failure.cursor.position,
      failures,
      until,
      error,
      now,
    );
    return { kind: 'failed', failures, until, error };
  }

  private async loop(consumer: Consumer): Promise<void> {
    const sleeper = new Sleeper();
    this.sleepers.set(consumer.name, sleeper);
    // Consecutive errors outside the handler (the database unreachable): the pause grows, so an
    // outage is not retried, and logged, twice a second per consumer.
    let outage = 0;
    while (!this.stopped) {
      let pause = this.pollMs;
      let wakeable = true;
      try {
        const step = await this.runOnce(consumer);
        outage = 0;
        if (step.kind === 'skipped') continue;
        if (step.kind === 'handled') {
          this.onCommitted(consumer.name, step.count);
          // A full batch means a backlog: go on at once. A partial one means caught up: let
          // the next commits gather.
          if (step.count < (consumer.batchSize ?? CONSUMER_DEFAULTS.batchSize))
            await sleeper.sleep(this.batchDelayMs, false);
          continue;
        }
        if (step.kind === 'waiting' || step.kind === 'failed') {
          pause = step.until - Date.now();
          wakeable = false;
        }
      } catch (error) {
        this.onError(consumer.name, error);
        pause = backoffDelay({ baseMs: this.pollMs, maxMs: OUTAGE_MAX_PAUSE_MS }, ++outage);
        wakeable = false;
      }
      await sleeper.sleep(pause, wakeable);
    }
  }
}
