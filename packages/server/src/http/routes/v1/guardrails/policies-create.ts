/**
 * POST /api/v1/guardrails/policies: a new deployment policy (configuration: an OWNER/ADMIN session or
 * an ADMIN key). The plan's limit of deployment policies applies.
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

export function registerCreatePolicy(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/guardrails/policies',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request, reply) => {
      const orgId = request.grant?.orgId as string;
      const input = readPolicy(request.body, null);
      await checkKnownChannels(ctx, orgId, input.notificationChannels);
      const repo = guardrails(ctx.store);
      const org = await ctx.store.organizations.byId(orgId);
      const max = org ? org.limits.deploymentPolicies : null;
      if (max !== null && (await repo.countPolicies(orgId)) >= max)
        throw new ApiError(
          'FORBIDDEN',
          `deployment policies: the ${org?.plan} plan allows ${max}; delete one or change the plan first`,
        );
      return reply.code(201).send(ok(policyAnswer(await repo.createPolicy(orgId, input))));
    },
  );
}
