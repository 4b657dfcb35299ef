import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthCheckToolEnv } from '../../../../../test-support/health-check-tool-env.js';
import { runTool } from '../../../../../test-support/mcp-tool-env.js';
import type { ToolEnv } from '../tool.js';
import { listHealthChecks } from './list-health-checks.js';

describe('list_health_checks', () => {
  let env: ToolEnv;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ env, close } = await healthCheckToolEnv());
  });
  afterAll(() => close());

  it('lists checks with status and a day of uptime, a page at a time', async () => {
    const first = await runTool(listHealthChecks, { limit: 1 }, env);
    expect(first.data).toMatchObject({
      count: 1,
      checks: [{ name: 'Checkout', status: 'up', uptimeDay: 1 }],
    });
    const second = await runTool(listHealthChecks, { limit: 1, cursor: first.data.nextCursor }, env);
    expect(second.data).toMatchObject({
      count: 1,
      nextCursor: null,
      checks: [{ name: 'Search', status: 'down', lastError: 'HTTP 503 (expected 2xx)' }],
    });
    expect((second.data.checks as { uptimeDay: number }[])[0]?.uptimeDay).toBeCloseTo(1 / 3, 4);
    expect(second.text).toContain(
      '- Search [down] search in STAGING, 33.33% up over a day: HTTP 503 (expected 2xx)',
    );
  });

  it('filters by status and points at the failing check', async () => {
    const down = await runTool(listHealthChecks, { status: 'down' }, env);
    expect((down.data.checks as { name: string }[]).map((c) => c.name)).toEqual(['Search']);
    expect(down.next.map((n) => n.tool)).toEqual(['get_uptime', 'query_events']);
    expect((await runTool(listHealthChecks, { status: 'unknown' }, env)).text).toBe(
      'No health check is unknown.',
    );
    await expect(runTool(listHealthChecks, { cursor: 'nope' }, env)).rejects.toThrow('cursor');
  });
});
