/**
 * list_guardrail_violations (ours): the violations recorded when stored events broke a freeze
 * window or a deployment policy, newest violating event first, each with the rule and the reason
 * in words (GET /api/v1/guardrails/violations).
 */
import { ApiError, parseQueryTime } from '@opstrails/core';
import { z } from 'zod';
import { guardrails } from '../../guardrails/repository.js';
import { encodeCursor, violationAnswer } from '../../store/guardrails.js';
import { fitPrefix } from '../budget.js';
import { cursorParam, limitParam, nextCursorSchema } from '../paging.js';
import { fromParam, type SuggestedCall, toParam } from '../schemas.js';
import { defineTool, ToolInputError } from '../tool.js';

export const listGuardrailViolations = defineTool({
  name: 'list_guardrail_violations',
  title: 'Guardrail violations',
  description: [
    'List the events that broke a change freeze window or a deployment policy (blocked days, allowed hours, daily cap, cooldown, rollback rate, velocity), newest first, each with the guardrail, the rule type and the reason in words.',
    "Use it to see whether changes went against the team's rules before or around an incident; to ask whether a change would be allowed now, use check_change_window.",
    'Limits: range default the last 7 days; limit 1-100 (default 25); nextCursor pages on (pass it back as cursor with the same range).',
  ].join(' '),
  input: {
    from: fromParam
      .describe(
        'Start of the range (on the violating event\'s time): relative ("-7d") or ISO 8601; default -7d.',
      )
      .optional(),
    to: toParam.optional(),
    limit: limitParam(100, 25, 'violations').optional(),
    cursor: cursorParam.optional(),
  },
  output: {
    from: z.string(),
    to: z.string(),
    count: z.number(),
    more: z.boolean(),
    nextCursor: nextCursorSchema,
    violations: z.array(z.record(z.string(), z.unknown())),
  },
  async run(args, env) {
    const bound = (name: string, value: string) => {
      const parsed = parseQueryTime(value, env.now);
      if (!parsed.ok) throw new ToolInputError(`${name}: ${parsed.message}`);
      return parsed.ms;
    };
    const from = bound('from', args.from ?? '-7d');
    const to = args.to === undefined ? env.now : bound('to', args.to);
    if (from > to) throw new ToolInputError('from: must be before to');
    let page: Awaited<ReturnType<ReturnType<typeof guardrails>['listViolations']>>;
    try {
      page = await guardrails(env.store).listViolations(env.orgId, {
        from,
        to,
        limit: args.limit ?? 25,
        cursor: args.cursor,
      });
    } catch (error) {
      // The store names a cursor it cannot read; for the model that is a mistake in the arguments.
      if (error instanceof ApiError) throw new ToolInputError(error.message);
      throw error;
    }
    const all = page.violations;
    const build = (shown: number) => {
      const violations = all.slice(0, shown).map(violationAnswer);
      const last = all[shown - 1];
      const nextCursor =
        shown < all.length && last ? encodeCursor(last.event.time, last.id) : page.nextCursor;
      const first = violations[0];
      const next: SuggestedCall[] = [];
      if (first) {
        next.push({
          tool: 'get_event',
          arguments: { id: first.event.id, source: first.event.source },
          reason: `the event that broke "${first.guardrailName}"`,
        });
        if (first.event.subject)
          next.push({
            tool: 'check_change_window',
            arguments: { source: first.event.source, subject: first.event.subject },
            reason: `whether a deployment of ${first.event.source} to ${first.event.subject} would break a rule now`,
          });
      } else {
        next.push({
          tool: 'query_events',
          arguments: { from: '-7d', type: 'deployment' },
          reason: 'the deployments of the same week',
        });
      }
      if (nextCursor)
        next.push({
          tool: 'list_guardrail_violations',
          arguments: { ...args, cursor: nextCursor },
          reason: 'the next page: older violations in the same range',
        });
      const fromIso = new Date(from).toISOString();
      const toIso = new Date(to).toISOString();
      return {
        data: {
          from: fromIso,
          to: toIso,
          count: violations.length,
          more: nextCursor !== null,
          nextCursor,
          violations,
        },
        text:
          violations.length === 0
            ? `No guardrail was broken between ${fromIso} and ${toIso}.`
            : [
                `${violations.length}${nextCursor ? '+ (pass nextCursor for more)' : ''} guardrail violation${violations.length === 1 ? '' : 's'} between ${fromIso} and ${toIso}:`,
                ...violations.map((v) => `- ${v.event.time} ${v.guardrailName} (${v.ruleType}): ${v.reason}`),
              ].join('\n'),
        next,
      };
    };
    return fitPrefix(all.length, build).answer;
  },
});
