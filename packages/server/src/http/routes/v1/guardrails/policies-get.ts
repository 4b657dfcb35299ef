/** GET /api/v1/guardrails/policies/{id}: one deployment policy (any key or session). */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { guardrails } from '../../../../guardrails/repository.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { policyAnswer } from './answers.js';

export function registerGetPolicy(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/guardrails/policies/:id',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const found = await guardrails(ctx.store).getPolicy(request.grant?.orgId as string, request.params.id);
      if (!found)
        throw new ApiError('NOT_FOUND', `no deployment policy ${request.params.id} in this organization`);
      return ok(policyAnswer(found));
    },
  );
}
