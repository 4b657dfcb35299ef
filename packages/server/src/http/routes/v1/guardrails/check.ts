/**
 * GET /api/v1/guardrails/check?source=&subject=&type=deployment&severity=&time=: "may I deploy
 * BE to PRODUCTION now?" answered by the same rule code the consumer runs, against every stored
 * event, storing nothing: `{allowed, violations: [{guardrailType, guardrailName, ruleType, reason}]}`.
 * Any key (READ_ONLY included) or session.
 */
import { LIMITS, parseEventTime, SEVERITIES } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import type { JudgedEvent } from '../../../../domain/guardrails/types.js';
import { checkEvent } from '../../../../guardrails/judge.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { readParams } from './query-params.js';
import { guardrails } from './repository.js';

const PARAMS = ['source', 'subject', 'type', 'severity', 'time'];

/** Reads the hypothetical event of a check (also the MCP tool's arguments). */
export function checkedEvent(q: Record<string, string | undefined>, now: number): JudgedEvent {
  const source = q.source?.trim();
  if (!source) throw badRequest('source', 'is required: the system you are about to deploy, e.g. source=BE');
  if (source.length > LIMITS.sourceMax)
    throw badRequest('source', `must be at most ${LIMITS.sourceMax} characters`);
  const subject = q.subject?.trim() || null;
  if (subject && subject.length > LIMITS.subjectMax)
    throw badRequest('subject', `must be at most ${LIMITS.subjectMax} characters`);
  const type = q.type?.trim() || 'deployment';
  if (type.length > LIMITS.typeMax) throw badRequest('type', `must be at most ${LIMITS.typeMax} characters`);
  let severity: string | null = null;
  if (q.severity) {
    severity = q.severity.toUpperCase();
    if (!(SEVERITIES as readonly string[]).includes(severity))
      throw badRequest('severity', `must be one of ${SEVERITIES.join(', ')}`);
  }
  let time = now;
  if (q.time) {
    const parsed = parseEventTime(q.time, now);
    if (!parsed.ok) throw badRequest('time', parsed.message);
    time = parsed.ms;
  }
  return { source, subject, type, severity, time };
}

export function registerCheck(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/guardrails/check',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const event = checkedEvent(readParams(request.query, PARAMS), Date.now());
      const broken = await checkEvent(guardrails(ctx.store), request.grant?.orgId as string, event);
      return ok({
        allowed: broken.length === 0,
        violations: broken.map(({ finding }) => ({
          guardrailType: finding.guardrailType,
          guardrailId: finding.guardrailId,
          guardrailName: finding.guardrailName,
          ruleType: finding.ruleType,
          reason: finding.reason,
        })),
      });
    },
  );
}
