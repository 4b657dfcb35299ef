/** `opstrails users unlock` beside a running server, on every engine: a throttled owner signs in at once. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OWNER, setupOwner } from '../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli, runCli } from './cli-process.js';

describe.each(ENGINES)('users unlock on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    await buildCli();
    server = await startTestServer(engine);
    await setupOwner(server);
  });
  afterAll(() => server.close());

  const login = (password: string) =>
    server.api('/api/v1/session', { method: 'POST', body: JSON.stringify({ email: OWNER.email, password }) });

  it('clears the waits of a throttled owner, who then signs in at once', async () => {
    for (let i = 0; i < 6; i++) await login('wrong password!');
    expect((await login(OWNER.password)).status).toBe(429);
    const unlocked = await runCli(
      ['users', 'unlock', OWNER.email.toUpperCase()],
      server.storeEnv as Record<string, string>,
    );
    expect(unlocked.code).toBe(0);
    expect(unlocked.stderr).toMatch(/unlocked owner@example\.com: cleared 2 sign-in wait\(s\)/);
    expect((await login(OWNER.password)).status).toBe(200);
    const again = await runCli(['users', 'unlock', OWNER.email], server.storeEnv as Record<string, string>);
    expect(again.stderr).toMatch(/had no sign-in waits; nothing to clear/);
  });

  it('an unknown email fails and names the store it looked in', async () => {
    const result = await runCli(
      ['users', 'unlock', 'nobody@example.com'],
      server.storeEnv as Record<string, string>,
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /no account with the email nobody@example\.com in the store at .*--data-dir/,
    );
  });
});
