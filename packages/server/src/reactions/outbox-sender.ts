/**
 * Senders deliver outbox rows of one kind (a channel type): one file per kind, registered with
 * the outbox worker. A sender answers instead of throwing where it can: `ok: false` with what the
 * other side said; the worker keeps that answer and decides about retries.
 */

export interface OutgoingDelivery {
  id: number;
  /** The same on every attempt of this delivery: send it along (e.g. an Idempotency-Key header) so the receiver can drop a resend. */
  idempotencyKey: string;
  orgId: string;
  kind: string;
  payload: unknown;
  /** 1 on the first attempt. */
  attempt: number;
  /** Aborted when the attempt takes too long: pass it to fetch. */
  signal: AbortSignal;
}

export interface SendResult {
  ok: boolean;
  /** What the other side answered (status, a body excerpt), kept on the delivery. */
  answer: string;
  /**
   * The other side asked to wait this long before the next attempt (a 429's or 503's
   * Retry-After): the next attempt is no sooner, whatever the backoff says (capped by the worker).
   */
  retryAfterMs?: number;
  /**
   * Why no later attempt can succeed (the address policy refuses the target, the service refused
   * the request itself): the delivery fails at once, with this reason beside the answer.
   */
  permanent?: string;
}

export interface OutboxSender {
  kind: string;
  send(delivery: OutgoingDelivery): Promise<SendResult>;
}
