import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPECTED_RANKING } from '../../../../../test-support/mcp-fixture.js';
import { fixtureToolEnv, runTool, type ToolTestEnv } from '../../../../../test-support/mcp-tool-env.js';
import { GuardrailRepository } from '../../store/guardrails.js';
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

  it('ranks an event that broke a guardrail higher and says which', async () => {
    const fresh = await fixtureToolEnv();
    try {
      const before = await runTool(whatChanged, { eventId: 'inc-1' }, fresh.env);
      const ranked = before.data.ranked as {
        event: { id: string; source: string; type: string; subject: string | null; time: string };
      }[];
      const last = ranked.at(-1)?.event;
      if (!last) throw new Error('the fixture ranks events before inc-1');
      await new GuardrailRepository(fresh.env.store.db, fresh.env.store.engine).recordViolations(
        fresh.env.orgId,
        [
          {
            finding: {
              guardrailType: 'deployment-policy',
              guardrailId: 'pol_x',
              guardrailName: 'No Friday deploys',
              ruleType: 'BLOCKED_DAYS',
              reason: 'it is on a Friday',
            },
            event: { ...last, seq: 1, version: null, time: Date.parse(last.time) },
          },
        ],
      );
      const after = await runTool(whatChanged, { eventId: 'inc-1' }, fresh.env);
      const moved = (after.data.ranked as { event: { id: string }; reasons: string[] }[]).find(
        (r) => r.event.id === last.id,
      );
      expect(moved?.reasons).toContain(
        'it broke a guardrail: No Friday deploys (BLOCKED_DAYS): it is on a Friday',
      );
      const rank = (data: Record<string, unknown>) =>
        (data.ranked as { event: { id: string }; score: number }[]).find((r) => r.event.id === last.id)
          ?.score ?? 0;
      expect(rank(after.data) - rank(before.data)).toBe(20);
    } finally {
      await fresh.close();
    }
  });
  it('takes patterns and any case for subject, source and type, and pages the ranks', async () => {
    const ids = (answer: { data: Record<string, unknown> }) =>
      (answer.data.ranked as { event: { id: string } }[]).map((r) => r.event.id);
    const plain = await runTool(
      whatChanged,
      { time: '2026-11-14T02:15:00Z', subject: 'PRODUCTION', source: 'BE' },
      t.env,
    );
    const pattern = await runTool(
      whatChanged,
      { time: '2026-11-14T02:15:00Z', subject: '*-production', source: 'b*' },
      t.env,
    );
    expect(ids(pattern)).toEqual(ids(plain));
    expect(pattern.data.matched).toEqual({ subjects: ['PRODUCTION'], sources: ['BE'] });
    expect(pattern.text).toContain('same subject (PRODUCTION)');
    const deploys = await runTool(whatChanged, { time: '2026-11-14T02:15:00Z', type: 'DEPLOY*' }, t.env);
    const types = (deploys.data.ranked as { event: { type: string } }[]).map((r) => r.event.type);
    expect(types.length).toBeGreaterThan(0);
    expect(new Set(types)).toEqual(new Set(['deployment']));
    const first = await runTool(whatChanged, { eventId: 'inc-1', limit: 2 }, t.env);
    expect(first.data.nextCursor).not.toBeNull();
    const second = await runTool(
      whatChanged,
      { eventId: 'inc-1', limit: 2, cursor: first.data.nextCursor },
      t.env,
    );
    expect([...ids(first), ...ids(second)]).toEqual(EXPECTED_RANKING);
    expect(second.data.nextCursor).toBeNull();
  });

  it('names the close subjects when the asked one does not exist', async () => {
    const answer = await runTool(whatChanged, { time: '2026-11-14T02:15:00Z', subject: 'prodution' }, t.env);
    expect(answer.data.note).toBe('no events for subject "prodution"; subjects seen: PRODUCTION');
    expect(answer.text).toContain('subjects seen: PRODUCTION');
    const known = await runTool(whatChanged, { time: '2026-11-14T02:15:00Z', subject: 'staging' }, t.env);
    expect(known.data.note).toBeNull();
  });
});
