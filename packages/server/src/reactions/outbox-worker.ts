/**
 * Sends outbox rows. Each pass claims due rows of the kinds it has senders for (PostgreSQL: FOR
 * UPDATE SKIP LOCKED, so N instances' workers share the rows and never claim one twice; SQLite:
 * the one server process), sends them concurrently, and settles each: delivered, retried later
 * with exponential backoff and jitter (no sooner than the receiver's Retry-After), or failed for
 * good after `maxAttempts` or at once when the sender says no attempt can succeed, with the last
 * answer kept. A claim is a lease: a worker that dies mid-send leaves its rows due again once the
 * lease ends, and the idempotency key lets the receiver drop that resend.
 */
import type { Delivery } from '../store/outbox.js';
import type { Store } from '../store/store.js';
import { type BackoffPolicy, backoffDelay, jitteredDelay } from './backoff.js';
import { OUTAGE_MAX_PAUSE_MS } from './consumer-runner.js';
import type { OutboxSender, SendResult } from './outbox-sender.js';
import { Sleeper } from './sleeper.js';

export interface OutboxWorkerOptions {
  pollMs?: number;
  /** Rows claimed per pass. */
  batchSize?: number;
  /** An attempt taking longer is aborted and counts as failed. */
  sendTimeoutMs?: number;
  backoff?: BackoffPolicy;
  /** Attempts before a delivery is given up (state `failed`). */
  maxAttempts?: number;
  onError?: (error: unknown) => void;
}

export const OUTBOX_DEFAULTS = {
  pollMs: 1_000,
  batchSize: 20,
  sendTimeoutMs: 10_000,
  backoff: { baseMs: 5_000, maxMs: 3_600_000 },
  maxAttempts: 8,
} as const;

/** How long a claim holds a row: the send timeout plus room to record the outcome. */
const leaseFor = (sendTimeoutMs: number) => sendTimeoutMs * 2 + 5_000;

export class OutboxWorker {
  private readonly senders = new Map<string, OutboxSender>();
  private readonly sleeper = new Sleeper();
  private loopDone: Promise<void> | null = null;
  private stopped = false;
  private readonly options: Required<Omit<OutboxWorkerOptions, 'onError'>>;
  private readonly onError: (error: unknown) => void;

  constructor(
    private readonly store: Store,
    senders: OutboxSender[],
    options: OutboxWorkerOptions = {},
  ) {
    for (const sender of senders) this.register(sender);
    const { onError, ...rest } = options;
    this.options = { ...OUTBOX_DEFAULTS, ...rest };
    this.onError = onError ?? (() => undefined);
  }

  /** Adds the sender of one kind; rows of a kind nobody sends stay pending until its sender is registered. */
  register(sender: OutboxSender): void {
    if (this.senders.has(sender.kind))
      throw new Error(`an outbox sender for "${sender.kind}" is already registered`);
    this.senders.set(sender.kind, sender);
  }

  start(): void {
    this.loopDone = this.loop();
  }

  /** Rows were queued: send now rather than at the next poll. */
  wake(): void {
    this.sleeper.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.sleeper.stop();
    await this.loopDone;
  }

  /** One pass: claims due rows and sends them; answers how many were attempted. */
  async runOnce(now = Date.now()): Promise<number> {
    const claimed = await this.store.outbox.claim(
      [...this.senders.keys()],
      this.options.batchSize,
      leaseFor(this.options.sendTimeoutMs),
      now,
    );
    // The pass's clock: `now`, moved on by the real time sending takes.
    const started = Date.now();
    const clock = () => now + (Date.now() - started);
    await Promise.all(claimed.map((delivery) => this.deliver(delivery, clock)));
    return claimed.length;
  }

  private async deliver(delivery: Delivery, clock: () => number): Promise<void> {
    const sender = this.senders.get(delivery.kind) as OutboxSender;
    let result: SendResult;
    try {
      result = await sender.send({
        id: delivery.id,
        idempotencyKey: delivery.idempotencyKey,
        orgId: delivery.orgId,
        kind: delivery.kind,
        payload: delivery.payload,
        attempt: delivery.attempts,
        signal: AbortSignal.timeout(this.options.sendTimeoutMs),
      });
    } catch (error) {
      result = { ok: false, answer: error instanceof Error ? error.message : String(error) };
    }
    const retryAt =
      result.ok || result.permanent !== undefined || delivery.attempts >= this.options.maxAttempts
        ? null
        : clock() + this.retryDelay(delivery.attempts, result.retryAfterMs);
    const answer =
      result.permanent === undefined ? result.answer : `${result.answer} (not retried: ${result.permanent})`;
    try {
      await this.store.outbox.settle(
        delivery,
        { delivered: result.ok, answer: answer.slice(0, 2_000), retryAt },
        clock(),
      );
    } catch (error) {
      // The lease ends and the row is sent again: the idempotency key covers the receiver.
      this.onError(error);
    }
  }

  /**
   * The backoff's jittered delay, or the receiver's Retry-After when it asks for longer: never
   * sooner than asked, but never past the backoff's ceiling (a misbehaving receiver asking for a
   * week would otherwise park the delivery far beyond its last attempt).
   */
  private retryDelay(attempts: number, retryAfterMs: number | undefined): number {
    const backoff = jitteredDelay(this.options.backoff, attempts);
    if (retryAfterMs === undefined || !(retryAfterMs > 0)) return backoff;
    return Math.max(backoff, Math.min(retryAfterMs, this.options.backoff.maxMs));
  }

  private async loop(): Promise<void> {
    // Consecutive failures to claim (the database unreachable) make the pause grow.
    let outage = 0;
    while (!this.stopped) {
      let pause = this.options.pollMs;
      try {
        const sent = await this.runOnce();
        outage = 0;
        if (sent === this.options.batchSize) continue;
      } catch (error) {
        this.onError(error);
        pause = backoffDelay({ baseMs: this.options.pollMs, maxMs: OUTAGE_MAX_PAUSE_MS }, ++outage);
      }
      await this.sleeper.sleep(pause, outage === 0);
    }
  }
}
