/** GET /api/v1/guardrails/freezes: the organization's change freeze windows (any key or session). */
import type { FastifyInstance } from 'fastify';
import { guardrails } from '../../../../guardrails/repository.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { freezeAnswer } from './answers.js';

export function registerListFreezes(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/guardrails/freezes',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const items = await guardrails(ctx.store).listFreezes(request.grant?.orgId as string);
      return ok({ freezes: items.map((x) => freezeAnswer(x)) });
    },
  );
}
