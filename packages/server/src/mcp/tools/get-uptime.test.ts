import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthCheckToolEnv } from '../../../../../test-support/health-check-tool-env.js';
import { runTool } from '../../../../../test-support/mcp-tool-env.js';
import type { CheckRow } from '../../store/health-checks.js';
import type { ToolEnv } from '../tool.js';
import { getUptime } from './get-uptime.js';

describe('get_uptime', () => {
  let env: ToolEnv;
  let up: CheckRow;
  let down: CheckRow;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ env, up, down, close } = await healthCheckToolEnv());
  });
  afterAll(() => close());

  it('gives uptime, mean response time of passing runs and the recent runs, newest first', async () => {
    const a = await runTool(getUptime, { check: up.id, limit: 2 }, env);
    expect(a.data).toMatchObject({
      name: 'Checkout',
      status: 'up',
      incident: null,
      uptime: { day: 1, week: 1 },
      meanMs: { day: 60, week: 60 },
      runs: { day: 3, week: 3 },
    });
    expect((a.data.recent as { ms: number }[]).map((r) => r.ms)).toEqual([50, 60]);
    expect(a.next[0]?.tool).toBe('query_events');
  });

  it('finds a check by name, shows its open incident and suggests what changed before it', async () => {
    const a = await runTool(getUptime, { check: 'search' }, env);
    expect(a.data).toMatchObject({
      id: down.id,
      status: 'down',
      incident: down.incident,
      meanMs: { day: 60 },
    });
    expect(a.text).toContain(
      `is down, incident ${down.incident} open; last failure: HTTP 503 (expected 2xx)`,
    );
    expect(a.next[0]).toMatchObject({
      tool: 'what_changed',
      arguments: { time: new Date(env.now - 5 * 60_000).toISOString(), subject: 'STAGING' },
    });
    await expect(runTool(getUptime, { check: 'nothing' }, env)).rejects.toThrow(
      'list_health_checks lists them',
    );
  });
});
