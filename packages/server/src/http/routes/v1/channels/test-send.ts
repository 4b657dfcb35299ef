/**
 * POST /api/v1/channels/:id/test: sends a test message now, through the same code and outbound
 * policy as real deliveries, and answers what the other side said: `{delivered, status, message}`
 * (`status` is the receiver's HTTP status, null when none came back). Configuration access:
 * it makes the server call out.
 */
import { formatTime } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import type { ChannelType } from '../../../../channels/channel-type.js';
import { channelType } from '../../../../channels/registry.js';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { notFound } from './input.js';

export function registerTestChannel(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: { id: string } }>(
    '/api/v1/channels/:id/test',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const services = channelServices(ctx.store, ctx.config);
      const row = await services.channels.repo.get(orgId, request.params.id);
      if (!row) throw notFound(request.params.id);
      const org = await ctx.store.organizations.byId(orgId);
      const type = channelType(row.type) as ChannelType;
      const now = Date.now();
      let result: { ok: boolean; answer: string };
      try {
        result = await type.send(
          services.channels.target(row),
          {
            kind: 'channel.test',
            title: `Test message for "${row.name}"`,
            text: `This ${type.label} channel is connected to OpsTrails (${org?.name ?? orgId}). Guardrail violations, incident triage and forwarded events chosen for it will arrive like this.`,
            organization: { id: orgId, name: org?.name ?? orgId },
            timestamp: formatTime(now),
            link: `${services.publicUrl}/settings/channels`,
          },
          {
            http: services.http,
            mailer: services.mailer,
            deliveryId: 0,
            idempotencyKey: `test:${row.id}:${now}`,
            adminEmails: async () =>
              (await ctx.store.memberships.list(orgId))
                .filter((m) => m.role === 'OWNER' || m.role === 'ADMIN')
                .map((m) => m.email),
          },
        );
      } catch (error) {
        result = { ok: false, answer: (error as Error).message };
      }
      const status = /^(\d{3})\b/.exec(result.answer)?.[1];
      return ok({ delivered: result.ok, status: status ? Number(status) : null, message: result.answer });
    },
  );
}
