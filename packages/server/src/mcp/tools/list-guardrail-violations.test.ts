import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTool } from '../../../../../test-support/mcp-tool-env.js';
import type { GuardrailRepository } from '../../store/guardrails.js';
import type { ToolEnv } from '../tool.js';
import { guardrailToolEnv, NOW } from './guardrail-tools-fixture.js';
import { listGuardrailViolations } from './list-guardrail-violations.js';

describe('list_guardrail_violations', () => {
  let env: ToolEnv;
  let repo: GuardrailRepository;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ env, repo, close } = await guardrailToolEnv());
    const freeze = (await repo.listFreezes(env.orgId))[0];
    await repo.recordViolations(env.orgId, [
      {
        finding: {
          guardrailType: 'change-freeze',
          guardrailId: freeze?.id ?? '',
          guardrailName: 'Holiday Freeze',
          ruleType: 'FREEZE',
          reason: 'deployment of BE to PRODUCTION falls in the change freeze "Holiday Freeze"',
        },
        event: {
          seq: 1,
          id: 'p1',
          source: 'BE',
          type: 'deployment',
          subject: 'PRODUCTION',
          version: 'v9',
          time: NOW - 3_600_000,
        },
      },
    ]);
  });
  afterAll(() => close());

  it('lists violations with the rule and reason, and suggests the event and a check', async () => {
    const a = await runTool(listGuardrailViolations, {}, env);
    expect(a.data).toMatchObject({ count: 1, more: false });
    expect((a.data.violations as { event: { id: string } }[])[0]?.event.id).toBe('p1');
    expect(a.text).toContain('Holiday Freeze (FREEZE): deployment of BE to PRODUCTION falls in');
    expect(a.next.map((n) => n.tool)).toEqual(['get_event', 'check_change_window']);
  });

  it('answers an empty range in words', async () => {
    const a = await runTool(listGuardrailViolations, { from: '-30d', to: '-10d' }, env);
    expect(a.data.count).toBe(0);
    expect(a.text).toMatch(/^No guardrail was broken between/);
    await expect(runTool(listGuardrailViolations, { from: 'yesterday' }, env)).rejects.toThrow('from:');
  });
});
