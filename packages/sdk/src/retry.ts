/** Retry policy: which failures are worth another attempt, and how long to wait before it. */

export interface RetryOptions {
  /** Attempts after the first. */
  maxRetries: number;
  initialDelayMs: number;
  backoffMultiplier: number;
  /** Up to this fraction of the delay is added at random, so clients do not retry in step. */
  maxJitter: number;
}

export const DEFAULT_RETRY: RetryOptions = {
  maxRetries: 3,
  initialDelayMs: 1000,
  backoffMultiplier: 2,
  maxJitter: 0.25,
};

/** 429 and 5xx may succeed later; every other 4xx will fail the same way again. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** `Retry-After` as delay-seconds or an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, now = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const value = header.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The wait before retry number `attempt` (0-based): exponential backoff plus jitter. */
export function backoffDelay(options: RetryOptions, attempt: number, random = Math.random): number {
  const base = options.initialDelayMs * options.backoffMultiplier ** attempt;
  return Math.round(base * (1 + random() * options.maxJitter));
}
