/** POST /api/v1/forwarding: a rule sending every matching stored event to a channel as `event.forwarded`. Configuration access. */
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { readRule, ruleView } from './input.js';

export function registerCreateForwarding(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/forwarding',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request, reply) => {
      const orgId = request.grant?.orgId as string;
      const input = readRule(request.body);
      const { channels } = channelServices(ctx.store, ctx.config);
      if (!(await channels.repo.get(orgId, input.channelId)))
        throw badRequest(
          'channelId',
          `no channel "${input.channelId}" in this organization (GET /api/v1/channels lists them)`,
        );
      return reply.code(201).send(ok(ruleView(await channels.repo.createRule(orgId, input))));
    },
  );
}
