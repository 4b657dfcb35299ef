import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../../../../test-support/mcp-tool-env.js';
import type { ToolEnv } from '../tool.js';
import { checkChangeWindow } from './check-change-window.js';
import { guardrailToolEnv } from './guardrail-tools-fixture.js';

describe('check_change_window', () => {
  let env: ToolEnv;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ env, close } = await guardrailToolEnv());
  });
  afterAll(() => close());

  it('says no, and why, for a production deploy during the freeze on a capped day', async () => {
    const a = await runTool(checkChangeWindow, { source: 'BE', subject: 'PRODUCTION' }, env);
    expect(a.data.allowed).toBe(false);
    expect(
      (a.data.violations as { guardrailName: string; ruleType: string }[]).map((v) => [
        v.guardrailName,
        v.ruleType,
      ]),
    ).toEqual([
      ['Holiday Freeze', 'FREEZE'],
      ['Two a day', 'DAILY_CAP'],
    ]);
    expect(a.text).toContain(
      'Not allowed: a deployment of BE to PRODUCTION at 2026-12-24T15:00:00.000Z would break 2 guardrails',
    );
    expect(a.next[0]).toMatchObject({ tool: 'query_events', arguments: { subject: 'PRODUCTION' } });
  });

  it('says yes when no rule applies (another day, outside the freeze)', async () => {
    const a = await runTool(
      checkChangeWindow,
      { source: 'BE', subject: 'PRODUCTION', time: '2026-12-28T10:00:00Z' },
      env,
    );
    expect(a.data).toMatchObject({ allowed: true, violations: [], time: '2026-12-28T10:00:00.000Z' });
    expect(a.text).toMatch(/^Allowed:/);
  });

  it('names a wrong argument', async () => {
    await expect(runTool(checkChangeWindow, { source: 'BE', severity: 'HUGE' }, env)).rejects.toThrow(
      'severity:',
    );
    await expect(runTool(checkChangeWindow, { source: 'BE', time: 'soon' }, env)).rejects.toThrow('time:');
  });
});
