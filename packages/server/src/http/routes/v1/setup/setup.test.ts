import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorOf, OWNER, setupOwner } from '../../../../../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../../../../../test-support/test-server.js';

describe.each(ENGINES)('one-time setup (%s)', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer(engine);
  });
  afterEach(() => server.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    server.api('/api/v1/setup', { method: 'POST', body: JSON.stringify(body), headers });

  it('creates the owner in the install organization, signs them in, then never runs again', async () => {
    expect(await (await server.api('/api/v1/setup')).json()).toMatchObject({ data: { needed: true } });
    const keyBefore = await server.key('READ_ONLY');
    const owner = await setupOwner(server, 'Acme Ops');
    const me = await owner.json<{ role: string; organization: { id: string; name: string } }>(
      '/api/v1/session',
    );
    expect(me.role).toBe('OWNER');
    expect(me.organization).toMatchObject({ id: server.defaultOrg.id, name: 'Acme Ops' });
    // A key made with the CLI before setup belongs to the organization the owner now runs.
    expect((await server.api('/api/v1/events', { key: keyBefore })).status).toBe(200);
    expect(await (await server.api('/api/v1/setup')).json()).toMatchObject({ data: { needed: false } });
    const again = await post({ ...OWNER, email: 'intruder@example.com', organization: 'Evil' });
    expect(again.status).toBe(403);
    expect(await errorOf(again)).toMatch(/already set up/);
  });

  it('lets only one of two racing setups win', async () => {
    const answers = await Promise.all(
      ['a', 'b', 'c'].map((who) => post({ ...OWNER, email: `${who}@example.com`, organization: who })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 403, 403]);
  });

  it('refuses weak input with the field named, and cross-site or non-JSON requests', async () => {
    const weak = await post({ ...OWNER, password: 'short', organization: 'Acme' });
    expect(weak.status).toBe(400);
    expect(await errorOf(weak)).toMatch(/^password: must be at least 10/);
    const noEmail = await post({ ...OWNER, email: 'not-an-email', organization: 'Acme' });
    expect(await errorOf(noEmail)).toMatch(/^email: /);
    const crossSite = await post({ ...OWNER, organization: 'Acme' }, { origin: 'https://evil.example' });
    expect(crossSite.status).toBe(403);
    const form = await server.api('/api/v1/setup', {
      method: 'POST',
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(form.status).toBe(415);
    expect(await (await server.api('/api/v1/setup')).json()).toMatchObject({ data: { needed: true } });
  });
});

describe('setup behind a proxy', () => {
  it('accepts the public URL as origin and marks the cookie Secure when it is https', async () => {
    const server = await startTestServer('sqlite', { OPSTRAILS_PUBLIC_URL: 'https://ops.example.com' });
    try {
      const res = await server.api('/api/v1/setup', {
        method: 'POST',
        body: JSON.stringify({ ...OWNER, organization: 'Acme' }),
        headers: { origin: 'https://ops.example.com' },
      });
      expect(res.status).toBe(201);
      expect(res.headers.get('set-cookie')).toMatch(/; Secure/);
    } finally {
      await server.close();
    }
  });
});
