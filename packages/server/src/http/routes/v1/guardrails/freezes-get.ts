/** GET /api/v1/guardrails/freezes/{id}: one freeze window (any key or session). */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { guardrails } from '../../../../guardrails/repository.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { freezeAnswer } from './answers.js';

export function registerGetFreeze(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/guardrails/freezes/:id',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const found = await guardrails(ctx.store).getFreeze(request.grant?.orgId as string, request.params.id);
      if (!found)
        throw new ApiError('NOT_FOUND', `no freeze window ${request.params.id} in this organization`);
      return ok(freezeAnswer(found));
    },
  );
}
