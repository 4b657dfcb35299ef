/**
 * PATCH /api/v1/guardrails/policies/{id}: changes the fields sent, the rest kept; the result is
 * checked whole (configuration: an OWNER/ADMIN session or an ADMIN key).
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { guardrails } from '../../../../guardrails/repository.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { policyAnswer } from './answers.js';
import { readPolicy } from './input.js';
import { checkKnownChannels } from './known-channels.js';

export function registerUpdatePolicy(app: FastifyInstance, ctx: AppContext): void {
  app.patch<{ Params: { id: string } }>(
    '/api/v1/guardrails/policies/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const repo = guardrails(ctx.store);
      const current = await repo.getPolicy(orgId, request.params.id);
      if (!current)
        throw new ApiError('NOT_FOUND', `no deployment policy ${request.params.id} in this organization`);
      const input = readPolicy(request.body, current);
      await checkKnownChannels(ctx, orgId, input.notificationChannels, current.notificationChannels);
      const updated = await repo.updatePolicy(orgId, current.id, input);
      if (!updated)
        throw new ApiError('NOT_FOUND', `no deployment policy ${request.params.id} in this organization`);
      return ok(policyAnswer(updated));
    },
  );
}
