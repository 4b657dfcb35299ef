/**
 * check_change_window (ours): "may I deploy BE to PRODUCTION now?" answered by the same rule code
 * as GET /api/v1/guardrails/check (freeze windows and deployment policies, against every stored
 * event), storing nothing: read-only like every tool.
 */
import { ApiError } from '@opstrails/core';
import { z } from 'zod';
import { checkedEvent } from '../../guardrails/checked-event.js';
import { checkEvent } from '../../guardrails/judge.js';
import { guardrails } from '../../guardrails/repository.js';
import { type SuggestedCall, severityParam, sourceParam, subjectParam } from '../schemas.js';
import { defineTool, ToolInputError } from '../tool.js';

export const checkChangeWindow = defineTool({
  name: 'check_change_window',
  title: 'May I deploy now?',
  description: [
    'Ask whether a change now (by default a deployment of a source to a subject) would break a change freeze window or a deployment policy (blocked days, allowed hours, daily caps, cooldowns, rollback rate, velocity), with the same rules that judge stored events.',
    'Use it before suggesting a deploy; use list_guardrail_violations for rules already broken.',
    'Returns allowed true/false and, for each rule it would break, the guardrail and the reason in words. Advisory: nothing is blocked or stored.',
  ].join(' '),
  input: {
    source: sourceParam.describe('The system to change, e.g. "BE" (exact, as events name it).'),
    subject: subjectParam.describe('The environment, e.g. "PRODUCTION".').optional(),
    type: z
      .string()
      .describe(
        'The change type (default "deployment"); also rollback, incident, data-load, deployment-status.',
      )
      .optional(),
    severity: severityParam.optional(),
    time: z
      .string()
      .describe('When: "NOW" (default) or an RFC 3339 time such as "2026-12-24T15:00:00Z".')
      .optional(),
  },
  output: {
    allowed: z.boolean(),
    time: z.string(),
    violations: z.array(
      z.object({
        guardrailType: z.string(),
        guardrailId: z.string(),
        guardrailName: z.string(),
        ruleType: z.string(),
        reason: z.string(),
      }),
    ),
  },
  async run(args, env) {
    let event: ReturnType<typeof checkedEvent>;
    try {
      event = checkedEvent(args, env.now);
    } catch (error) {
      if (error instanceof ApiError) throw new ToolInputError(error.message);
      throw error;
    }
    const broken = await checkEvent(guardrails(env.store), env.orgId, event);
    const violations = broken.map(({ finding: f }) => ({
      guardrailType: f.guardrailType,
      guardrailId: f.guardrailId,
      guardrailName: f.guardrailName,
      ruleType: f.ruleType,
      reason: f.reason,
    }));
    const time = new Date(event.time).toISOString();
    const what = `${event.type} of ${event.source}${event.subject ? ` to ${event.subject}` : ''} at ${time}`;
    const next: SuggestedCall[] = [
      {
        tool: 'list_guardrail_violations',
        arguments: { from: '-7d' },
        reason: 'the guardrails broken recently, and by which events',
      },
    ];
    if (event.subject)
      next.unshift({
        tool: 'query_events',
        arguments: { from: '-24h', subject: event.subject, type: event.type },
        reason: `what already happened on ${event.subject} today (caps, cooldowns and velocity count these)`,
      });
    return {
      data: { allowed: violations.length === 0, time, violations },
      text:
        violations.length === 0
          ? `Allowed: no freeze window or deployment policy would be broken by a ${what}.`
          : [
              `Not allowed: a ${what} would break ${violations.length} guardrail${violations.length === 1 ? '' : 's'} (advisory: nothing is blocked):`,
              ...violations.map((v) => `- ${v.guardrailName} (${v.ruleType}): ${v.reason}`),
            ].join('\n'),
      next,
    };
  },
});
