import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ConsoleClient, errorOf, setupOwner } from '../../../../../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../../../../../test-support/test-server.js';

describe.each(ENGINES)('API keys from the console (%s)', (engine) => {
  let server: TestServer;
  let owner: ConsoleClient;
  beforeEach(async () => {
    server = await startTestServer(engine);
    owner = await setupOwner(server);
  });
  afterEach(() => server.close());

  it('shows a new key once, lists it by prefix, and revokes it at once', async () => {
    const created = await owner.json<{ key: string; info: { id: string; prefix: string } }>('/api/v1/keys', {
      method: 'POST',
      body: { name: 'deploy bot', scope: 'READ_WRITE' },
    });
    expect(created.key).toMatch(/^ot_/);
    const list = await owner.json<Record<string, unknown>[]>('/api/v1/keys');
    expect(list).toEqual([
      expect.objectContaining({ name: 'deploy bot', scope: 'READ_WRITE', prefix: created.info.prefix }),
    ]);
    expect(JSON.stringify(list)).not.toContain(created.key);
    expect((await server.api('/api/v1/events', { key: created.key })).status).toBe(200);
    expect((await owner.call(`/api/v1/keys/${created.info.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await server.api('/api/v1/events', { key: created.key })).status).toBe(401);
    expect((await owner.call(`/api/v1/keys/${created.info.id}`, { method: 'DELETE' })).status).toBe(404);
  });

  it('names the field when the scope is wrong, makes ADMIN keys, and refuses API keys on key management', async () => {
    const bad = await owner.call('/api/v1/keys', { method: 'POST', body: { name: 'x', scope: 'OWNER' } });
    expect(bad.status).toBe(400);
    expect(await errorOf(bad)).toMatch(/^scope: must be READ_ONLY, READ_WRITE or ADMIN$/);
    const admin = await owner.call('/api/v1/keys', {
      method: 'POST',
      body: { name: 'terraform', scope: 'ADMIN' },
    });
    expect(admin.status).toBe(201);
    const key = await server.key('READ_WRITE');
    const viaKey = await server.api('/api/v1/keys', { key });
    expect(viaKey.status).toBe(401);
    expect(await errorOf(viaKey)).toMatch(/signed-in console user/);
  });

  it('reports usage against the plan', async () => {
    const key = await server.key('READ_WRITE');
    const event = { specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW' };
    await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(event) });
    await server.store.organizations.setPlan(server.defaultOrg.id, 'starter');
    const usage = await owner.json<Record<string, unknown>>('/api/v1/usage');
    expect(usage).toMatchObject({
      plan: 'starter',
      events: { month: 1, day: 1, monthLimit: 20_000, dayLimit: 500 },
      mcpCalls: { month: 0, monthLimit: 500 },
      retentionDays: 30,
    });
  });
});
