/**
 * POST /api/v1/guardrails/freezes: a new freeze window (configuration: an OWNER/ADMIN session or
 * an ADMIN key). The plan's limit of change freeze windows applies.
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

export function registerCreateFreeze(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/guardrails/freezes',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request, reply) => {
      const orgId = request.grant?.orgId as string;
      const input = readFreeze(request.body, null);
      await checkKnownChannels(ctx, orgId, input.notificationChannels);
      const repo = guardrails(ctx.store);
      const org = await ctx.store.organizations.byId(orgId);
      const max = org ? org.limits.freezeWindows : null;
      if (max !== null && (await repo.countFreezes(orgId)) >= max)
        throw new ApiError(
          'FORBIDDEN',
          `change freeze windows: the ${org?.plan} plan allows ${max}; delete one or change the plan first`,
        );
      return reply.code(201).send(ok(freezeAnswer(await repo.createFreeze(orgId, input))));
    },
  );
}
