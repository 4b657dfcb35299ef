/** DELETE /api/v1/guardrails/freezes/{id} (configuration); its recorded violations stay, with its name. */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { guardrails } from '../../../../guardrails/repository.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';

export function registerDeleteFreeze(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/v1/guardrails/freezes/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const deleted = await guardrails(ctx.store).deleteFreeze(
        request.grant?.orgId as string,
        request.params.id,
      );
      if (!deleted)
        throw new ApiError('NOT_FOUND', `no freeze window ${request.params.id} in this organization`);
      return ok({ id: request.params.id, deleted: true });
    },
  );
}
