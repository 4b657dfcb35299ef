/**
 * `opstrails orgs create --owner`, `users add|list|reset-password` as real processes beside a
 * running server, on every engine: an organization made on the command line has someone who
 * signs in, through the printed link, in the server's console API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorOf, OWNER, setupOwner } from '../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli, runCli } from './cli-process.js';

interface AuditEntry {
  action: string;
  actor: { label: string | null };
  target: { label: string | null } | null;
}

/** Each command is a process start (several seconds on a loaded 2-core machine); a test runs a handful. */
const CLI_TEST_MS = 120_000;

describe.each(ENGINES)('accounts from the command line on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    await buildCli();
    server = await startTestServer(engine);
    await setupOwner(server);
  });
  afterAll(() => server.close());

  const cli = (...args: string[]) => runCli(args, server.storeEnv as Record<string, string>);
  const post = (path: string, body: unknown) =>
    server.api(path, { method: 'POST', body: JSON.stringify(body) });
  const tokenOf = (stdout: string) => /\/reset-password#([A-Za-z0-9_-]+)\s*$/.exec(stdout)?.[1] as string;

  it(
    'creates an organization with an owner who sets a password through the printed link and signs in',
    async () => {
      const made = await cli(
        'orgs',
        'create',
        'acme-cli',
        '--name',
        'Acme CLI',
        '--owner',
        'Ops@Acme.example',
      );
      expect(made.code, made.stderr).toBe(0);
      expect(made.stderr).toMatch(/created the account ops@acme\.example/);
      expect(made.stderr).toMatch(/ops@acme\.example is now OWNER of acme-cli/);
      const token = tokenOf(made.stdout);
      expect(token).toBeTruthy();
      // No password exists yet; the link sets one and signs in to the new organization.
      const set = await post('/api/v1/password-reset', { token, password: 'chosen by the owner' });
      expect(set.status).toBe(200);
      const view = ((await set.json()) as { data: { session: unknown } }).data.session;
      expect(view).toMatchObject({ role: 'OWNER', organization: { slug: 'acme-cli', name: 'Acme CLI' } });
      expect(
        (await post('/api/v1/session', { email: 'ops@acme.example', password: 'chosen by the owner' }))
          .status,
      ).toBe(200);

      const bad = await cli('orgs', 'create', 'other-cli', '--owner', 'not-an-email');
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/--owner "not-an-email" must be an email address/);
    },
    CLI_TEST_MS,
  );

  it(
    'adds members, lists them, and prints a reset link for a forgotten password',
    async () => {
      const added = await cli('users', 'add', 'ada@example.com', '--role', 'admin', '--name', 'Ada');
      expect(added.code, added.stderr).toBe(0);
      expect(added.stderr).toMatch(/ada@example\.com is now ADMIN of default/);
      const existing = await cli('users', 'add', OWNER.email, '--org', 'acme-cli');
      expect(existing.stdout).toBe('');
      expect(existing.stderr).toMatch(/signs in with their existing password/);
      expect((await cli('users', 'add', 'x@example.com', '--role', 'KING')).stderr).toMatch(
        /--role "KING" must be one of OWNER, ADMIN, MEMBER/,
      );

      const listed = await cli('users', 'list', '--json');
      const users = JSON.parse(listed.stdout) as {
        email: string;
        memberships: { org: string; role: string }[];
      }[];
      expect(users.find((u) => u.email === 'ada@example.com')?.memberships).toEqual([
        { org: 'default', role: 'ADMIN' },
      ]);
      expect(users.find((u) => u.email === OWNER.email)?.memberships.map((m) => m.org)).toContain('acme-cli');
      const table = await cli('users', 'list', '--org', 'acme-cli');
      expect(table.stdout).toMatch(/EMAIL\s+NAME\s+ORGANIZATIONS/);
      expect(table.stdout).not.toMatch(/ada@example\.com/);

      const reset = await cli('users', 'reset-password', OWNER.email.toUpperCase());
      expect(reset.code, reset.stderr).toBe(0);
      expect(reset.stderr).toMatch(/reset link for owner@example\.com: it works once/);
      const token = tokenOf(reset.stdout);
      expect((await post('/api/v1/password-reset', { token, password: 'a new owner password' })).status).toBe(
        200,
      );
      const old = await post('/api/v1/session', { email: OWNER.email, password: OWNER.password });
      expect(old.status).toBe(401);
      const reused = await post('/api/v1/password-reset', { token, password: 'a third password!' });
      expect(await errorOf(reused)).toMatch(/already used/);

      // The admin commands are in the organization's audit log, done by the CLI.
      expect((await cli('keys', 'create', '--scope', 'READ_ONLY', '--name', 'grafana')).code).toBe(0);
      const answer = await server.api('/api/v1/audit', { key: await server.key('ADMIN') });
      const { entries } = ((await answer.json()) as { data: { entries: AuditEntry[] } }).data;
      const actions = entries.map((e) => ({
        action: e.action,
        actor: e.actor.label,
        target: e.target?.label,
      }));
      expect(actions).toEqual(
        expect.arrayContaining([
          { action: 'member.added', actor: 'opstrails CLI', target: 'ada@example.com' },
          { action: 'password.reset-link-created', actor: 'opstrails CLI', target: OWNER.email },
          { action: 'key.created', actor: 'opstrails CLI', target: 'grafana' },
        ]),
      );

      const missing = await cli('users', 'reset-password', 'nobody@example.com');
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/no account with the email nobody@example\.com .*users add/);
    },
    CLI_TEST_MS,
  );
});
