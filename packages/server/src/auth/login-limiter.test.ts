/** The login throttle on a real store, both engines, with the clock passed in. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { openStore, type Store } from '../store/store.js';
import { LOGIN_POLICY, LoginLimiter, unlockEmail } from './login-limiter.js';

const T0 = 1_764_000_000_000;

/** The Retry-After of a refused attempt, or 0 when it was admitted. */
async function waitOf(attempt: Promise<void>): Promise<number> {
  try {
    await attempt;
    return 0;
  } catch (error) {
    expect(error).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    return (error as { retryAfterSeconds: number }).retryAfterSeconds;
  }
}

describe.each(ENGINES)('login throttle on %s', (engine) => {
  let store: Store;
  let limiter: LoginLimiter;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-login-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    limiter = new LoginLimiter(store.loginAttempts);
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('counts 300 concurrent attempts atomically: only the free ones are admitted', async () => {
    const waits = await Promise.all(
      Array.from({ length: 300 }, () => waitOf(limiter.admit('burst@example.com', '10.0.0.1', T0))),
    );
    expect(waits.filter((w) => w === 0)).toHaveLength(LOGIN_POLICY.pair.free);
    expect(waits.filter((w) => w > 0).every((w) => w === 5)).toBe(true);
  });

  it('backs off, doubling, instead of locking; a quiet hour forgets', async () => {
    const email = 'backoff@example.com';
    for (let i = 0; i < LOGIN_POLICY.pair.free; i++)
      expect(await waitOf(limiter.admit(email, '10.0.0.2', T0))).toBe(0);
    expect(await waitOf(limiter.admit(email, '10.0.0.2', T0))).toBe(5);
    expect(await waitOf(limiter.admit(email, '10.0.0.2', T0 + 5_000))).toBe(0);
    expect(await waitOf(limiter.admit(email, '10.0.0.2', T0 + 5_000))).toBe(10);
    expect(await waitOf(limiter.admit(email, '10.0.0.2', T0 + 15_000))).toBe(0);
    expect(await waitOf(limiter.admit(email, '10.0.0.2', T0 + 15_000))).toBe(20);
    const later = T0 + 15_000 + LOGIN_POLICY.pair.forgetAfterMs + 1;
    for (let i = 0; i < LOGIN_POLICY.pair.free; i++)
      expect(await waitOf(limiter.admit(email, '10.0.0.2', later))).toBe(0);
  });

  it("a stranger's guesses do not slow the owner at another address; a success clears the email", async () => {
    const email = 'owner-dos@example.com';
    for (let i = 0; i < LOGIN_POLICY.pair.free; i++) await limiter.admit(email, '203.0.113.9', T0);
    expect(await waitOf(limiter.admit(email, '203.0.113.9', T0))).toBeGreaterThan(0);
    expect(await waitOf(limiter.admit(email, '198.51.100.1', T0))).toBe(0);
    await limiter.succeeded(email, '198.51.100.1');
    expect(await store.loginAttempts.nextAttemptAt(`email:${email}`, T0)).toBeNull();
  });

  it('guesses from many addresses wait at most a minute per email, never a lockout', async () => {
    const email = 'spread@example.com';
    const waits: number[] = [];
    for (let i = 0; i < 40; i++)
      waits.push(await waitOf(limiter.admit(email, `192.0.2.${i}`, T0 + i * 61_000)));
    expect(waits.slice(0, LOGIN_POLICY.email.free)).toEqual(new Array(LOGIN_POLICY.email.free).fill(0));
    expect(await waitOf(limiter.admit(email, '192.0.2.200', T0 + 39 * 61_000))).toBe(60);
  });

  it('one address spraying many emails is slowed after fifty; its successes are given back', async () => {
    const address = '100.64.0.1';
    for (let i = 0; i < LOGIN_POLICY.address.free - 1; i++)
      await limiter.admit(`user${i}@example.com`, address, T0);
    await limiter.admit('real@example.com', address, T0);
    await limiter.succeeded('real@example.com', address);
    expect(await waitOf(limiter.admit('another@example.com', address, T0))).toBe(0);
    expect(await waitOf(limiter.admit('yet-another@example.com', address, T0))).toBe(5);
  });

  it('unlock clears every counter of the email and no other', async () => {
    const email = 'locked@example.com';
    for (const address of ['10.1.0.1', '10.1.0.2'])
      for (let i = 0; i <= LOGIN_POLICY.pair.free; i++) await waitOf(limiter.admit(email, address, T0));
    await limiter.admit('locked@example.com.other', '10.1.0.3', T0);
    expect(await unlockEmail(store.loginAttempts, ` ${email.toUpperCase()}`)).toBe(3);
    expect(await waitOf(limiter.admit(email, '10.1.0.1', T0))).toBe(0);
    expect(await unlockEmail(store.loginAttempts, 'locked@example.com.other')).toBe(2);
  });
});
