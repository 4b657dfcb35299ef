/**
 * PATCH /api/v1/channels/:id `{name?, config?, enabled?}`: renames, enables/disables or changes
 * the config. Config fields merge into the stored ones; a secret left out, or sent back masked
 * (`••••abcd`), keeps its stored value; a field set to null is removed. Configuration access.
 */
import type { FastifyInstance } from 'fastify';
import type { ChannelType } from '../../../../channels/channel-type.js';
import { channelType } from '../../../../channels/registry.js';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';
import { bodyObject, CHANNEL_UPDATE_FIELDS, notFound, onlyFields, readEnabled, readName } from './input.js';

const EXAMPLE = 'send e.g. {"enabled": false} or {"config": {"url": "https://…"}}';

export function registerUpdateChannel(app: FastifyInstance, ctx: AppContext): void {
  app.patch<{ Params: { id: string } }>(
    '/api/v1/channels/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const body = bodyObject(request.body, EXAMPLE);
      onlyFields(body, CHANNEL_UPDATE_FIELDS, EXAMPLE);
      const { channels } = channelServices(ctx.store, ctx.config);
      const row = await channels.repo.get(orgId, request.params.id);
      if (!row) throw notFound(request.params.id);
      const name = body.name === undefined ? row.name : readName(body.name);
      const enabled = readEnabled(body.enabled) ?? row.enabled;
      const type = channelType(row.type) as ChannelType;
      const prepared =
        body.config === undefined
          ? { config: row.config, secrets: row.secrets }
          : channels.prepare(type, body.config, row);
      const updated = await channels.repo.update(orgId, row.id, { name, enabled, ...prepared });
      if (!updated) throw notFound(request.params.id);
      return ok(channels.view(updated));
    },
  );
}
