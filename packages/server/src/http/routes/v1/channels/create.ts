/**
 * POST /api/v1/channels `{type, name, config, enabled?}`: a notification channel. Configuration
 * access (OWNER/ADMIN session or ADMIN key); the plan's notificationChannels limit applies;
 * secrets in `config` are stored sealed and answered masked.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { bodyObject, CHANNEL_CREATE_FIELDS, onlyFields, readEnabled, readName, readType } from './input.js';

const EXAMPLE =
  'send {"type": "webhook", "name": "Deploy hook", "config": {"url": "https://hooks.example.com/opstrails", "secret": "…"}}';

export function registerCreateChannel(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/channels',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request, reply) => {
      const orgId = request.grant?.orgId as string;
      const body = bodyObject(request.body, EXAMPLE);
      onlyFields(body, CHANNEL_CREATE_FIELDS, EXAMPLE);
      const type = readType(body.type);
      const name = readName(body.name);
      const enabled = readEnabled(body.enabled) ?? true;
      const { channels } = channelServices(ctx.store, ctx.config);
      if (type.type === 'email' && !ctx.config.channels.smtpUrl)
        throw badRequest(
          'type',
          'email needs a mail server: the operator sets OPSTRAILS_SMTP_URL (e.g. smtp://user:password@mail.example.com:587) and restarts',
        );
      const prepared = channels.prepare(type, body.config ?? {});
      const org = await ctx.store.organizations.byId(orgId);
      const max = org ? org.limits.notificationChannels : null;
      if (max !== null && (await channels.repo.count(orgId)) >= max)
        throw new ApiError(
          'FORBIDDEN',
          `notification channels: the ${org?.plan} plan allows ${max}; delete one first`,
        );
      const row = await channels.repo.create(orgId, { type: type.type, name, enabled, ...prepared });
      return reply.code(201).send(ok(channels.view(row)));
    },
  );
}
