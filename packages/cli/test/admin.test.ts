/** `opstrails keys` and `opstrails orgs` on the store directly, beside a running server, on every engine. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const event = { specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW' };

describe.each(ENGINES)('admin commands on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine);
  });
  afterAll(() => server.close());

  it('keys create prints the key alone on stdout; it works at once on the running server', async () => {
    const created = await runCli(
      ['keys', 'create', '--scope', 'READ_WRITE', '--name', 'from-cli'],
      server.storeEnv,
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^ot_[A-Za-z0-9_-]{43}\n$/);
    expect(created.stderr).toMatch(/created READ_WRITE key "from-cli"/);
    const key = created.stdout.trim();
    const res = await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(event) });
    expect(res.status).toBe(201);
  });

  it('keys create --scope ADMIN makes a key that may change configuration and send events', async () => {
    const created = await runCli(['keys', 'create', '--scope', 'ADMIN', '--name', 'admin'], server.storeEnv);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/created ADMIN key "admin"/);
    const key = created.stdout.trim();
    const settings = await server.api('/api/v1/dora/settings', {
      method: 'PATCH',
      key,
      body: JSON.stringify({ failureWindow: '2h' }),
    });
    expect(settings.status).toBe(200);
    const sent = await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(event) });
    expect(sent.status).toBe(201);
  });

  it('keys list shows the key without the secret; keys revoke stops it within a second', async () => {
    const key = (
      await runCli(['keys', 'create', '--scope', 'READ_ONLY', '--name', 'to-revoke'], server.storeEnv)
    ).stdout.trim();
    expect((await server.api('/api/v1/events', { key })).status).toBe(200);
    const list = await runCli(['keys', 'list', '--json'], server.storeEnv);
    const keys = JSON.parse(list.stdout) as { id: string; name: string; prefix: string }[];
    const mine = keys.find((k) => k.name === 'to-revoke');
    expect(mine?.prefix).toBe(key.slice(0, 10));
    expect(list.stdout).not.toContain(key);
    const table = await runCli(['keys', 'list'], server.storeEnv);
    expect(table.stdout).toMatch(/^ID\s+NAME\s+PREFIX\s+SCOPE/);
    expect(table.stdout).toContain('to-revoke');

    const revoked = await runCli(['keys', 'revoke', mine?.id as string], server.storeEnv);
    expect(revoked.code).toBe(0);
    await sleep(1_000);
    expect((await server.api('/api/v1/events', { key })).status).toBe(401);
    const again = await runCli(['keys', 'revoke', mine?.id as string], server.storeEnv);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/no active key/);
  });

  it('orgs create and list; a key of one organization never sees another', async () => {
    const created = await runCli(['orgs', 'create', 'acme', '--name', 'Acme Corp'], server.storeEnv);
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^org_/);
    const list = JSON.parse((await runCli(['orgs', 'list', '--json'], server.storeEnv)).stdout) as {
      slug: string;
      name: string;
    }[];
    expect(list.map((o) => o.slug)).toEqual(['default', 'acme']);
    const acmeKey = (
      await runCli(['keys', 'create', '--scope', 'READ_WRITE', '--org', 'acme'], server.storeEnv)
    ).stdout.trim();
    await server.api('/api/v1/events', {
      method: 'POST',
      key: acmeKey,
      body: JSON.stringify({ ...event, id: 'acme-only' }),
    });
    const defaultKey = await server.key('READ_ONLY');
    expect((await server.api('/api/v1/events/acme-only', { key: defaultKey })).status).toBe(404);
    expect((await server.api('/api/v1/events/acme-only', { key: acmeKey })).status).toBe(200);
    const dup = await runCli(['orgs', 'create', 'acme'], server.storeEnv);
    expect(dup.code).toBe(1);
    expect(dup.stderr).toMatch(/already exists/);
  });

  it('explains mistakes: missing scope, bad slug, unknown organization', async () => {
    const noScope = await runCli(['keys', 'create'], server.storeEnv);
    expect(noScope.code).not.toBe(0);
    expect(noScope.stderr).toMatch(/--scope/);
    const badScope = await runCli(['keys', 'create', '--scope', 'OWNER'], server.storeEnv);
    expect(badScope.stderr).toMatch(/READ_ONLY, READ_WRITE, ADMIN/);
    const badSlug = await runCli(['orgs', 'create', 'Not A Slug'], server.storeEnv);
    expect(badSlug.code).toBe(1);
    expect(badSlug.stderr).toMatch(/lowercase letters, digits or hyphens/);
    const unknownOrg = await runCli(
      ['keys', 'create', '--scope', 'READ_ONLY', '--org', 'nope'],
      server.storeEnv,
    );
    expect(unknownOrg.code).toBe(1);
    expect(unknownOrg.stderr).toMatch(/no organization "nope"; known organizations: default/);
  });
});

describe('serve settings', () => {
  it('stops with a clear message on an invalid setting', async () => {
    const badPort = await runCli(['serve', '--port', 'eighty']);
    expect(badPort.code).toBe(1);
    expect(badPort.stderr).toMatch(/--port="eighty" is not a port/);
    const badDb = await runCli(['serve'], { DATABASE_URL: 'mysql://localhost/x' });
    expect(badDb.code).toBe(1);
    expect(badDb.stderr).toMatch(/only PostgreSQL is supported/);
  });

  it('--help teaches with examples', async () => {
    const help = await runCli(['serve', '--help']);
    expect(help.stdout).toMatch(/--data-dir/);
    expect(help.stdout).toMatch(/Examples:/);
  });
});
