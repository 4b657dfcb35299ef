/**
 * Sign-in and invites under attack (issue 8, items 16, 17, 19), over loopback on both engines:
 * a burst of 300 concurrent guesses, a stranger's guesses against the owner, forwarded
 * addresses from trusted and untrusted peers, and two invites accepted at the same moment.
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleClient, OWNER, setupOwner } from '../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { LOGIN_POLICY } from '../src/auth/login-limiter.js';

/** A JSON POST from a chosen loopback source address (127.0.0.0/8 is all loopback on Linux). */
function postFrom(
  server: TestServer,
  path: string,
  body: unknown,
  options: { localAddress?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: { error?: string } }> {
  const text = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${server.url}${path}`,
      {
        method: 'POST',
        localAddress: options.localAddress,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(text),
          ...options.headers,
        },
      },
      (res) => {
        let answer = '';
        res.on('data', (chunk) => {
          answer += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(answer) }));
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

const guess = (password: string, email = OWNER.email) => ({ email, password });

describe.each(ENGINES)('sign-in under attack on %s', (engine) => {
  let server: TestServer;
  let owner: ConsoleClient;
  beforeAll(async () => {
    server = await startTestServer(engine);
    owner = await setupOwner(server);
  });
  afterAll(() => server.close());

  it('a burst of 300 concurrent guesses gets only the free attempts checked', async () => {
    const answers = await Promise.all(
      Array.from({ length: 300 }, (_, i) =>
        postFrom(server, '/api/v1/session', guess(i === 299 ? OWNER.password : `wrong guess ${i}`), {
          localAddress: '127.0.0.3',
        }),
      ),
    );
    const checked = answers.filter((a) => a.status !== 429);
    expect(checked).toHaveLength(LOGIN_POLICY.pair.free);
    expect(answers.filter((a) => a.status === 429)[0]?.body.error).toMatch(
      /too many attempts for this email/,
    );
  });

  it("a stranger's failures do not lock the owner out at another address", async () => {
    const email = 'victim@example.com';
    const { token } = await owner.json<{ token: string }>('/api/v1/invites', {
      method: 'POST',
      body: { role: 'MEMBER' },
    });
    await postFrom(server, '/api/v1/invites/accept', {
      token,
      email,
      name: 'Victim',
      password: 'victim password 1',
    });
    for (let i = 0; i <= LOGIN_POLICY.pair.free; i++)
      await postFrom(server, '/api/v1/session', guess('not it at all', email), { localAddress: '127.0.0.4' });
    const stranger = await postFrom(server, '/api/v1/session', guess('victim password 1', email), {
      localAddress: '127.0.0.4',
    });
    expect(stranger.status).toBe(429);
    const victim = await postFrom(server, '/api/v1/session', guess('victim password 1', email), {
      localAddress: '127.0.0.5',
    });
    expect(victim.status).toBe(200);
  });

  it('X-Forwarded-For from an untrusted peer is ignored: varying it does not dodge the throttle', async () => {
    const email = 'spoof@example.com';
    const statuses: number[] = [];
    for (let i = 0; i <= LOGIN_POLICY.pair.free; i++) {
      const answer = await postFrom(server, '/api/v1/session', guess('nope nope', email), {
        localAddress: '127.0.0.6',
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
      });
      statuses.push(answer.status);
    }
    expect(statuses.at(-1)).toBe(429);
  });

  it('two invites accepted at once for one new email: one 201, one 409 naming the email, the second invite still usable', async () => {
    const invite = () =>
      owner.json<{ token: string }>('/api/v1/invites', { method: 'POST', body: { role: 'MEMBER' } });
    const [first, second] = [await invite(), await invite()];
    const email = 'twice@example.com';
    const accept = (token: string, password: string) =>
      postFrom(server, '/api/v1/invites/accept', { token, email, name: 'Twice', password });
    const answers = await Promise.all([
      accept(first.token, 'first password 1'),
      accept(second.token, 'second password 2'),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    const lost = answers.findIndex((a) => a.status === 409);
    expect(answers[lost]?.body.error).toMatch(
      /^email: twice@example.com got an account a moment ago.*still valid/,
    );
    const spare = lost === 0 ? first.token : second.token;
    const peek = await server.api('/api/v1/invites/peek', {
      method: 'POST',
      body: JSON.stringify({ token: spare }),
    });
    expect(peek.status).toBe(200);
    const winnerPassword = lost === 0 ? 'second password 2' : 'first password 1';
    expect((await accept(spare, winnerPassword)).status).toBe(201);
  });
});

describe.each(ENGINES)('behind a trusted proxy on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine, { OPSTRAILS_TRUSTED_PROXIES: '127.0.0.1' });
    await setupOwner(server);
  });
  afterAll(() => server.close());

  it("throttles by the client the proxy names, so one client's guesses do not stop another", async () => {
    const via = (client: string, password: string) =>
      postFrom(server, '/api/v1/session', guess(password), { headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < LOGIN_POLICY.pair.free; i++)
      expect((await via('203.0.113.7', 'bad guess!')).status).toBe(401);
    const attacker = await via('203.0.113.7', OWNER.password);
    expect(attacker.status).toBe(429);
    expect((await via('203.0.113.8', OWNER.password)).status).toBe(200);
  });
});
