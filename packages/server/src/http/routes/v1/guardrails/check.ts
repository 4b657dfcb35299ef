/**
 * GET /api/v1/guardrails/check?source=&subject=&type=deployment&severity=&time=: "may I deploy
 * BE to PRODUCTION now?" answered by the same rule code the consumer runs, against every stored
 * event, storing nothing: `{allowed, violations: [{guardrailType, guardrailName, ruleType, reason}]}`.
 * Any key (READ_ONLY included) or session.
 */
import type { FastifyInstance } from 'fastify';
import { checkedEvent } from '../../../../guardrails/checked-event.js';
import { checkEvent } from '../../../../guardrails/judge.js';
import { guardrails } from '../../../../guardrails/repository.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { readParams } from '../../../query-params.js';

const PARAMS = ['source', 'subject', 'type', 'severity', 'time'];

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
