/** Exponential backoff, shared by consumers (deterministic) and outbox deliveries (with jitter). */

export interface BackoffPolicy {
  /** Delay after the first failure. */
  baseMs: number;
  /** No delay grows past this. */
  maxMs: number;
}

/** The delay after the `failures`-th consecutive failure: base, 2 x base, 4 x base, ... up to max. */
export const backoffDelay = (policy: BackoffPolicy, failures: number): number =>
  Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));

/**
 * The same, spread over its upper half at random, so deliveries that failed together (a channel
 * down) do not all come back in the same instant.
 */
export const jitteredDelay = (policy: BackoffPolicy, failures: number, random = Math.random): number => {
  const delay = backoffDelay(policy, failures);
  return Math.round(delay / 2 + (random() * delay) / 2);
};
