/**
 * The outbox: one row per delivery to the outside world (a webhook call, a mail), written by a
 * consumer in the same transaction as the rest of its effects, sent later by the outbox worker
 * (reactions/outbox-worker.ts). States: pending -> sending (claimed until `next_attempt_at`, so a
 * worker that died mid-send releases it) -> delivered, or back to pending for a retry, or failed
 * after the last attempt, keeping the last answer.
 */
import type { Kysely } from 'kysely';
import type { Engine } from './engine.js';
import type { Database } from './schema.js';
import type { WriteTransaction } from './write-transaction.js';

export type DeliveryState = 'pending' | 'sending' | 'delivered' | 'failed';

export interface NewDelivery {
  /** Unique per delivery: the same key enqueued twice (a consumer's batch handled again) is one row. */
  idempotencyKey: string;
  orgId: string;
  /** Which sender delivers it (see reactions/outbox-sender.ts). */
  kind: string;
  payload: unknown;
}

export interface Delivery {
  id: number;
  idempotencyKey: string;
  orgId: string;
  kind: string;
  payload: unknown;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: number;
  lastAnswer: string | null;
  createdAt: number;
  updatedAt: number;
}

const toDelivery = (
  r: {
    [K in keyof Database['outbox']]: unknown;
  },
): Delivery => ({
  id: Number(r.id),
  idempotencyKey: String(r.idempotency_key),
  orgId: String(r.org_id),
  kind: String(r.kind),
  payload: JSON.parse(String(r.payload)),
  state: r.state as DeliveryState,
  attempts: Number(r.attempts),
  nextAttemptAt: Number(r.next_attempt_at),
  lastAnswer: r.last_answer === null ? null : String(r.last_answer),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export class OutboxRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
    private readonly transaction: WriteTransaction,
  ) {}

  /** Queues deliveries; pass a consumer's `trx` so they commit with its other effects. */
  async enqueue(deliveries: NewDelivery[], db: Kysely<Database> = this.db, now = Date.now()): Promise<void> {
    if (deliveries.length === 0) return;
    await db
      .insertInto('outbox')
      .values(
        deliveries.map((d) => ({
          idempotency_key: d.idempotencyKey,
          org_id: d.orgId,
          kind: d.kind,
          payload: JSON.stringify(d.payload ?? null),
          state: 'pending',
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  }

  /**
   * Claims up to `limit` due deliveries of these kinds for one attempt: each leaves the due set
   * until `now + leaseMs`. On PostgreSQL rows another worker is claiming are skipped (SKIP
   * LOCKED), so two workers never claim the same row.
   */
  async claim(kinds: string[], limit: number, leaseMs: number, now = Date.now()): Promise<Delivery[]> {
    if (kinds.length === 0) return [];
    return this.transaction(async (trx) => {
      let q = trx
        .selectFrom('outbox')
        .select('id')
        .where('state', 'in', ['pending', 'sending'])
        .where('next_attempt_at', '<=', now)
        .where('kind', 'in', kinds)
        .orderBy('next_attempt_at')
        .limit(limit);
      if (this.engine === 'postgres') q = q.forUpdate().skipLocked();
      const ids = (await q.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await trx
        .updateTable('outbox')
        .set((eb) => ({
          state: 'sending',
          attempts: eb('attempts', '+', 1),
          next_attempt_at: now + leaseMs,
          updated_at: now,
        }))
        .where('id', 'in', ids)
        .returningAll()
        .execute();
      return rows.map(toDelivery).sort((a, b) => a.id - b.id);
    });
  }

  /**
   * Records the outcome of the attempt `claimed` was claimed for: delivered, retry at `retryAt`,
   * or (retryAt null) failed for good. A claim that expired and was taken again is left alone.
   */
  async settle(
    claimed: Delivery,
    outcome: { delivered: boolean; answer: string; retryAt: number | null },
    now = Date.now(),
  ): Promise<void> {
    const state: DeliveryState = outcome.delivered
      ? 'delivered'
      : outcome.retryAt === null
        ? 'failed'
        : 'pending';
    await this.db
      .updateTable('outbox')
      .set({
        state,
        last_answer: outcome.answer,
        next_attempt_at: outcome.retryAt ?? claimed.nextAttemptAt,
        updated_at: now,
      })
      .where('id', '=', claimed.id)
      .where('state', '=', 'sending')
      .where('attempts', '=', claimed.attempts)
      .execute();
  }

  /**
   * Deletes finished deliveries (delivered or failed) whose last attempt was before `beforeMs`,
   * `batch` rows per statement so no statement holds the writer long; answers how many.
   */
  async prune(beforeMs: number, batch = 500): Promise<number> {
    let deleted = 0;
    for (;;) {
      // A finished row's next_attempt_at is its last attempt's lease end: the due index finds them.
      const ids = await this.db
        .selectFrom('outbox')
        .select('id')
        .where('state', 'in', ['delivered', 'failed'])
        .where('next_attempt_at', '<', beforeMs)
        .limit(batch)
        .execute();
      if (ids.length === 0) return deleted;
      const result = await this.db
        .deleteFrom('outbox')
        .where(
          'id',
          'in',
          ids.map((r) => r.id),
        )
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
      if (ids.length < batch) return deleted;
    }
  }

  async get(id: number): Promise<Delivery | null> {
    const row = await this.db.selectFrom('outbox').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toDelivery(row) : null;
  }

  /** One organization's deliveries, newest first; `before` (an id) pages on. */
  async list(
    orgId: string,
    options: { state?: DeliveryState; kind?: string; limit?: number; before?: number } = {},
  ): Promise<Delivery[]> {
    let q = this.db.selectFrom('outbox').selectAll().where('org_id', '=', orgId);
    if (options.state) q = q.where('state', '=', options.state);
    if (options.kind) q = q.where('kind', '=', options.kind);
    if (options.before !== undefined) q = q.where('id', '<', options.before);
    const rows = await q
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100)
      .execute();
    return rows.map(toDelivery);
  }
}
