/** Retry policy: which failures are worth another attempt, and how long to wait before it. */

export interface RetryOptions {
  /** Attempts after the first. */
  maxRetries: number;
  initialDelayMs: number;
  backoffMultiplier: number;
  /** Up to this fraction of the delay is added at random, so clients do not retry in step. */
  maxJitter: number;
  /**
   * The longest wait before a retry. An answer whose `Retry-After` asks for more (a quota that
   * resets at midnight) is thrown at once, with the reset time on the error. Default 60,000.
   */
  maxRetryDelayMs?: number;
  /**
   * Whether a 429 `QUOTA_EXCEEDED` is retried (within `maxRetryDelayMs`). Default true, like
   * the hosted SDK; false fails at once, as a CI step should. `RATE_LIMITED` is always retried.
   */
  retryQuotaExceeded?: boolean;
}

export const DEFAULT_RETRY: Required<RetryOptions> = {
  maxRetries: 3,
  initialDelayMs: 1000,
  backoffMultiplier: 2,
  maxJitter: 0.25,
  maxRetryDelayMs: 60_000,
  retryQuotaExceeded: true,
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

/** The wait before retry number `attempt` (0-based): exponential backoff plus jitter, at most `maxRetryDelayMs`. */
export function backoffDelay(options: Required<RetryOptions>, attempt: number, random = Math.random): number {
  const base = options.initialDelayMs * options.backoffMultiplier ** attempt;
  const delay = Math.round(base * (1 + random() * options.maxJitter));
  return Math.min(delay, options.maxRetryDelayMs);
}
