/** GET /api/v1/guardrails/policies: the organization's deployment policies (any key or session). */
import type { FastifyInstance } from 'fastify';
import { guardrails } from '../../../../guardrails/repository.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { policyAnswer } from './answers.js';

export function registerListPolicies(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/guardrails/policies',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const items = await guardrails(ctx.store).listPolicies(request.grant?.orgId as string);
      return ok({ policies: items.map((x) => policyAnswer(x)) });
    },
  );
}
