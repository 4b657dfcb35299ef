/**
 * `opstrails orgs set-plan` and `orgs show` on the store a running server uses, on every engine:
 * the plan and its overrides are what the server enforces, and show (and GET /api/v1/usage)
 * report limits and usage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../test-support/cli.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const HOUR = 3_600_000;
const freeze = (name: string) => ({
  name,
  startsAt: new Date(Date.now() + HOUR).toISOString(),
  endsAt: new Date(Date.now() + 2 * HOUR).toISOString(),
});

describe.each(ENGINES)('orgs set-plan / show on %s', (engine) => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    admin = await server.key('ADMIN');
  }, 120_000);
  afterAll(() => server.close());

  const createFreeze = (name: string) =>
    server.api('/api/v1/guardrails/freezes', {
      method: 'POST',
      key: admin,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(freeze(name)),
    });

  it('an override is enforced where the limit is set, named with the plan; a new plan replaces it', async () => {
    const set = await runCli(
      ['orgs', 'set-plan', 'default', 'free', '--limit', 'freezeWindows=2', '--limit', 'apiKeys=unlimited'],
      server.storeEnv,
    );
    expect(set.code).toBe(0);
    expect(set.stderr).toContain(
      'organization default is on the free plan with freezeWindows=2, apiKeys=unlimited',
    );

    expect((await createFreeze('one')).status).toBe(201);
    expect((await createFreeze('two')).status).toBe(201);
    const refused = await createFreeze('three');
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({
      success: false,
      code: 'FORBIDDEN',
      error: expect.stringContaining('change freeze windows: the free plan allows 2'),
    });

    const shown = JSON.parse((await runCli(['orgs', 'show', 'default', '--json'], server.storeEnv)).stdout);
    expect(shown).toMatchObject({
      slug: 'default',
      plan: 'free',
      limitOverrides: { freezeWindows: 2, apiKeys: null },
      limits: { freezeWindows: 2, apiKeys: null, deploymentPolicies: 1, eventsPerDay: 100 },
      usage: { freezeWindows: 2, apiKeys: 1 },
    });
    const usage = (await (await server.api('/api/v1/usage', { key: admin })).json()) as { data: unknown };
    expect(usage.data).toMatchObject({
      plan: 'free',
      limits: shown.limits,
      limitOverrides: shown.limitOverrides,
      usage: { freezeWindows: 2 },
      apiKeys: { count: 1, limit: null },
    });

    const table = await runCli(['orgs', 'show', 'default'], server.storeEnv);
    expect(table.stdout).toContain('plan: free');
    expect(table.stdout).toMatch(/freezeWindows\s+2\s+2\s+override/);
    expect(table.stdout).toMatch(/deploymentPolicies\s+0\s+1\s+plan/);

    expect((await runCli(['orgs', 'set-plan', 'default', 'starter'], server.storeEnv)).code).toBe(0);
    expect((await createFreeze('three')).status).toBe(201);
    const after = JSON.parse((await runCli(['orgs', 'show', 'default', '--json'], server.storeEnv)).stdout);
    expect(after).toMatchObject({ plan: 'starter', limitOverrides: {}, limits: { freezeWindows: 5 } });

    expect((await runCli(['orgs', 'set-plan', 'default', 'unlimited'], server.storeEnv)).code).toBe(0);
  }, 120_000);

  it('a wrong plan, limit name or value is refused naming the fix, and changes nothing', async () => {
    const cases: [string[], string][] = [
      [['orgs', 'set-plan', 'default', 'gold'], 'unknown plan "gold"; one of unlimited, free, starter, pro'],
      [
        ['orgs', 'set-plan', 'default', 'pro', '--limit', 'seats=3'],
        'unknown limit "seats"; one of eventsPerMonth',
      ],
      [
        ['orgs', 'set-plan', 'default', 'pro', '--limit', 'apiKeys=-1'],
        'must be a whole number >= 0 or "unlimited"',
      ],
      [['orgs', 'show', 'nope'], 'no organization "nope"'],
    ];
    for (const [args, message] of cases) {
      const result = await runCli(args, server.storeEnv);
      expect(result.code, args.join(' ')).not.toBe(0);
      expect(result.stderr).toContain(message);
    }
    const shown = JSON.parse((await runCli(['orgs', 'show', 'default', '--json'], server.storeEnv)).stdout);
    expect(shown.plan).toBe('unlimited');
  }, 120_000);
});
