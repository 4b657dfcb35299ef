/** API keys end to end: hashed at rest, scopes, revocation within a second, on every engine. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { hashKey } from '../src/store/api-keys.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(ENGINES)('API keys on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(() => server.close());

  it('creates ot_ keys with at least 128 random bits, storing only the SHA-256 hash', async () => {
    const { key, info } = await server.store.apiKeys.create(server.defaultOrg.id, 'ci', 'READ_WRITE');
    expect(key).toMatch(/^ot_[A-Za-z0-9_-]{43}$/);
    const rows = await server.store.db.selectFrom('api_keys').selectAll().where('id', '=', info.id).execute();
    expect(rows[0]?.hash).toBe(hashKey(key));
    expect(JSON.stringify(rows)).not.toContain(key.slice(3));
    expect(info).toMatchObject({
      name: 'ci',
      scope: 'READ_WRITE',
      prefix: key.slice(0, 10),
      lastUsedAt: null,
    });
  });

  it('refuses missing, malformed and unknown keys with 401 UNAUTHORIZED', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer ot_unknownkeyvalue', 'Bearer not-a-key']) {
      const res = await server.api('/api/v1/events', authorization ? { headers: { authorization } } : {});
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({
        success: false,
        code: 'UNAUTHORIZED',
        error: expect.stringMatching(/^Authorization: /),
      });
    }
  });

  it('works at once when created, records last use, and stops within a second when revoked', async () => {
    const { key, info } = await server.store.apiKeys.create(server.defaultOrg.id, 'short-lived', 'READ_ONLY');
    expect((await server.api('/api/v1/events', { key })).status).toBe(200);
    const [listed] = (await server.store.apiKeys.list(server.defaultOrg.id)).filter((k) => k.id === info.id);
    expect(listed?.lastUsedAt).not.toBeNull();
    expect(await server.store.apiKeys.revoke(server.defaultOrg.id, info.id)).toBe(true);
    await sleep(1_000);
    const res = await server.api('/api/v1/events', { key });
    expect(res.status).toBe(401);
    expect(await server.store.apiKeys.revoke(server.defaultOrg.id, info.id)).toBe(false);
  });

  it('cannot revoke another organization key', async () => {
    const other = await server.store.organizations.create(`keys-${engine}`, 'Other');
    const { info } = await server.store.apiKeys.create(other.id, 'theirs', 'READ_ONLY');
    expect(await server.store.apiKeys.revoke(server.defaultOrg.id, info.id)).toBe(false);
  });
});
