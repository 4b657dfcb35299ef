/**
 * PATCH /api/v1/guardrails/freezes/{id}: changes the fields sent, the rest kept; the result is
 * checked whole (configuration: an OWNER/ADMIN session or an ADMIN key). An edit resets a violated window to its time-derived state (and it notifies again).
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { guardrails } from '../../../../guardrails/repository.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { freezeAnswer } from './answers.js';
import { readFreeze } from './input.js';
import { checkKnownChannels } from './known-channels.js';

export function registerUpdateFreeze(app: FastifyInstance, ctx: AppContext): void {
  app.patch<{ Params: { id: string } }>(
    '/api/v1/guardrails/freezes/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const repo = guardrails(ctx.store);
      const current = await repo.getFreeze(orgId, request.params.id);
      if (!current)
        throw new ApiError('NOT_FOUND', `no freeze window ${request.params.id} in this organization`);
      const input = readFreeze(request.body, current);
      await checkKnownChannels(ctx, orgId, input.notificationChannels, current.notificationChannels);
      const updated = await repo.updateFreeze(orgId, current.id, input);
      if (!updated)
        throw new ApiError('NOT_FOUND', `no freeze window ${request.params.id} in this organization`);
      return ok(freezeAnswer(updated));
    },
  );
}
