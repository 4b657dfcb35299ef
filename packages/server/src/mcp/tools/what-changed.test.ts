import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_RANKING } from '../../../../../test-support/mcp-fixture.js';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { hasMetricsFor } from '../metrics-availability.js';
import { whatChanged } from './what-changed.js';

describe('what_changed', () => {
  let t: ToolTestEnv;
  beforeAll(async () => {
    t = await fixtureToolEnv();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('ranks the events before the incident and states the rules it applied', async () => {
    const answer = await runTool(whatChanged, { eventId: 'inc-1', limit: 2 }, t.env);
    expect((answer.data.ranked as { event: { id: string } }[]).map((r) => r.event.id)).toEqual(
      EXPECTED_RANKING.slice(0, 2),
    );
    expect(answer.data.considered).toBe(4);
    expect(answer.text).toContain('because: same subject (PRODUCTION)');
  });

  it('suggests get_metrics_around_event only where the subject has metrics: with no provider, never', async () => {
    const answer = await runTool(whatChanged, { eventId: 'inc-1' }, t.env);
    const top = (answer.data.ranked as { event: { subject: string | null } }[])[0];
    expect(top?.event.subject).toBe('PRODUCTION');
    expect(await hasMetricsFor(t.env, 'PRODUCTION')).toBe(false);
    expect(answer.next.map((n) => n.tool)).toEqual(['get_event', 'get_promotion_path']);
  });

  it('ignores rules when the organization wrote no context', async () => {
    const bare = await fixtureToolEnv({ context: false });
    try {
      const answer = await runTool(whatChanged, { eventId: 'inc-1' }, bare.env);
      expect(answer.data.rulesApplied).toEqual([]);
      const top = answer.data.ranked as { event: { id: string }; reasons: string[] }[];
      expect(top[0]?.event.id).toBe('be-prd-250');
      expect(top[0]?.reasons.join(' ')).not.toContain('deploy window');
    } finally {
      await bare.close();
    }
  });

  it('needs an event or a time', async () => {
    await expect(runTool(whatChanged, { window: '2h' }, t.env)).rejects.toThrow('give eventId');
  });
});
