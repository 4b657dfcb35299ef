import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, login, OWNER, setupOwner } from '../../../../../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../../../../../test-support/test-server.js';
import { LOGIN_POLICY } from '../../../../auth/login-limiter.js';

describe.each(ENGINES)('console sessions (%s)', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer(engine);
    await setupOwner(server);
  });
  afterEach(() => server.close());

  const attempt = (password: string) =>
    server.api('/api/v1/session', { method: 'POST', body: JSON.stringify({ email: OWNER.email, password }) });

  it('signs in with an httpOnly SameSite cookie, reads events with it, and signs out', async () => {
    const res = await attempt(OWNER.password);
    expect(res.status).toBe(200);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    const owner = await login(server, OWNER.email.toUpperCase(), OWNER.password);
    expect((await owner.call('/api/v1/events')).status).toBe(200);
    expect((await owner.call('/api/v1/session', { method: 'DELETE' })).status).toBe(200);
    expect((await owner.call('/api/v1/events')).status).toBe(401);
    expect((await owner.call('/api/v1/session')).status).toBe(401);
  });

  it('marks the cookie Secure behind an HTTPS proxy', async () => {
    const res = await server.api('/api/v1/session', {
      method: 'POST',
      body: JSON.stringify({ email: OWNER.email, password: OWNER.password }),
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
  });

  it('refuses state-changing session requests without the CSRF token', async () => {
    const owner = await login(server, OWNER.email, OWNER.password);
    const noToken = await owner.call('/api/v1/keys', {
      method: 'POST',
      body: { name: 'x', scope: 'READ_ONLY' },
      csrf: null,
    });
    expect(noToken.status).toBe(403);
    expect(await errorOf(noToken)).toMatch(/X-CSRF-Token/);
    const wrong = await owner.call('/api/v1/context', {
      method: 'PUT',
      body: { context: 'x' },
      csrf: 'guess',
    });
    expect(wrong.status).toBe(403);
    expect(
      (await owner.call('/api/v1/keys', { method: 'POST', body: { name: 'x', scope: 'READ_ONLY' } })).status,
    ).toBe(201);
  });

  it('makes an email wait after five failures, even for the right password; waiting is enough', async () => {
    for (let i = 0; i < LOGIN_POLICY.pair.free; i++) {
      const res = await attempt('wrong password!');
      expect(res.status).toBe(401);
      expect(await errorOf(res)).toMatch(/email or password/);
    }
    const throttled = await attempt(OWNER.password);
    expect(throttled.status).toBe(429);
    const wait = Number(throttled.headers.get('retry-after'));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThanOrEqual(LOGIN_POLICY.pair.baseDelayMs / 1000);
    expect(await errorOf(throttled)).toMatch(
      /try again in \d+ s, or ask an owner to run `opstrails users unlock owner@example.com`/,
    );
    await new Promise((r) => setTimeout(r, wait * 1000));
    expect((await attempt(OWNER.password)).status).toBe(200);
  });

  it('answers unknown emails like wrong passwords', async () => {
    const res = await server.api('/api/v1/session', {
      method: 'POST',
      body: JSON.stringify({ email: 'nobody@example.com', password: 'whatever123' }),
    });
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toMatch(/email or password/);
  });
});
