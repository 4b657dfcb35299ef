import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY, isRetryableStatus, parseRetryAfter } from './retry.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-03-01T12:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Sun, 01 Mar 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Sun, 01 Mar 2026 11:00:00 GMT', now)).toBe(0);
  });

  it('ignores an absent or unreadable header', () => {
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles from the initial delay and adds at most maxJitter', () => {
    expect(backoffDelay(DEFAULT_RETRY, 0, () => 0)).toBe(1000);
    expect(backoffDelay(DEFAULT_RETRY, 1, () => 0)).toBe(2000);
    expect(backoffDelay(DEFAULT_RETRY, 2, () => 0)).toBe(4000);
    expect(backoffDelay(DEFAULT_RETRY, 2, () => 1)).toBe(5000);
  });

  it('never waits longer than maxRetryDelayMs', () => {
    expect(backoffDelay({ ...DEFAULT_RETRY, maxRetryDelayMs: 3000 }, 2, () => 0)).toBe(3000);
    expect(backoffDelay(DEFAULT_RETRY, 10, () => 0)).toBe(60_000);
  });
});

describe('isRetryableStatus', () => {
  it('retries 429 and 5xx, never another 4xx', () => {
    expect([429, 500, 502, 503].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 413].some(isRetryableStatus)).toBe(false);
  });
});
