/** GET /api/v1/notifications/settings: which channels hear impact regressions and incident triage. Any key or session. */
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerGetNotificationSettings(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/notifications/settings',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const { channels } = channelServices(ctx.store, ctx.config);
      const s = await channels.repo.settings(request.grant?.orgId as string);
      return ok({ regressionChannels: s.regressionChannels, triageChannels: s.triageChannels });
    },
  );
}
