import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleClient, setupOwner } from '../../../../../../test-support/console-client.js';
import { startTestServer, type TestServer } from '../../../../../../test-support/test-server.js';

/** Bodies a careless or hostile client sends. */
const BAD_BODIES: unknown[] = [
  null,
  [],
  'text',
  42,
  {},
  {
    name: null,
    email: 7,
    password: [],
    organization: {},
    role: 'GOD',
    scope: 'ALL',
    token: 1,
    organizationId: {},
  },
  { name: 'x'.repeat(100_000), email: `${'a'.repeat(300)}@example.com`, password: 'p'.repeat(5_000) },
  JSON.parse('{"__proto__": {"admin": true}, "role": "OWNER"}'),
];

const ROUTES: [string, string][] = [
  ['POST', '/api/v1/setup'],
  ['POST', '/api/v1/session'],
  ['PUT', '/api/v1/session'],
  ['POST', '/api/v1/keys'],
  ['POST', '/api/v1/invites'],
  ['POST', '/api/v1/invites/peek'],
  ['POST', '/api/v1/invites/accept'],
  ['PATCH', '/api/v1/members/usr_nobody'],
  ['POST', '/api/v1/organizations'],
];

describe('console resources refuse bad input with a 4xx naming the problem', () => {
  let server: TestServer;
  let owner: ConsoleClient;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    owner = await setupOwner(server);
  });
  afterAll(() => server.close());

  it('never answers 5xx, whatever the body', async () => {
    for (const [method, path] of ROUTES) {
      for (const body of BAD_BODIES) {
        const res = await owner.call(path, { method, body });
        const answer = (await res.json()) as { success: boolean; error?: string };
        expect(res.status, `${method} ${path} ${JSON.stringify(body)?.slice(0, 60)}`).toBeGreaterThanOrEqual(
          400,
        );
        expect(res.status, `${method} ${path}`).toBeLessThan(500);
        expect(answer.error, `${method} ${path}`).toMatch(/\w+: /);
      }
    }
  });

  it('answers odd ids with 4xx', async () => {
    for (const path of ['/api/v1/keys/%00', '/api/v1/invites/..', `/api/v1/members/${'x'.repeat(900)}`]) {
      const res = await owner.call(path, { method: 'DELETE' });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, path).toBeLessThan(500);
    }
  });
});
