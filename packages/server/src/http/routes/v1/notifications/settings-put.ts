/**
 * PUT /api/v1/notifications/settings `{regressionChannels: [id], triageChannels: [id]}`: which
 * channels hear `impact.regression` and `incident.triage`. Each id must be a channel of this
 * organization; a field left out keeps its stored list. Configuration access.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { bodyObject, onlyFields } from '../channels/input.js';

const EXAMPLE = 'send {"regressionChannels": ["ch_…"], "triageChannels": ["ch_…"]}';
const channelIds = z.array(z.string()).optional().describe('ids of channels of this organization');
/** The body (the OpenAPI document shows it; its fields are the ones the handler reads). */
export const NotificationSettingsBody = z.object({
  regressionChannels: channelIds,
  triageChannels: channelIds,
});
const FIELDS = Object.keys(NotificationSettingsBody.shape) as (keyof typeof NotificationSettingsBody.shape)[];

export function registerPutNotificationSettings(app: FastifyInstance, ctx: AppContext): void {
  app.put(
    '/api/v1/notifications/settings',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const body = bodyObject(request.body, EXAMPLE);
      onlyFields(body, [...FIELDS], EXAMPLE);
      const { channels } = channelServices(ctx.store, ctx.config);
      const known = new Set((await channels.repo.list(orgId)).map((c) => c.id));
      const stored = await channels.repo.settings(orgId);
      const read = (field: (typeof FIELDS)[number]): string[] => {
        const value = body[field] ?? stored[field];
        if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
          throw badRequest(field, `must be a list of channel ids; ${EXAMPLE}`);
        const unknown = value.find((v: string) => !known.has(v));
        if (unknown)
          throw badRequest(
            field,
            `no channel "${unknown}" in this organization (GET /api/v1/channels lists them)`,
          );
        return [...new Set(value as string[])];
      };
      const saved = await channels.repo.saveSettings(orgId, {
        regressionChannels: read('regressionChannels'),
        triageChannels: read('triageChannels'),
      });
      return ok({ regressionChannels: saved.regressionChannels, triageChannels: saved.triageChannels });
    },
  );
}
