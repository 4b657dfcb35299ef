/** Notification channels (extended API section 5): one file per route. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerCreateChannel } from './create.js';
import { registerDeleteChannel } from './delete.js';
import { registerChannelDeliveries } from './deliveries.js';
import { registerGetChannel } from './get.js';
import { registerListChannels } from './list.js';
import { registerTestChannel } from './test-send.js';
import { registerUpdateChannel } from './update.js';

export function registerChannelRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerCreateChannel(app, ctx);
  registerListChannels(app, ctx);
  registerGetChannel(app, ctx);
  registerUpdateChannel(app, ctx);
  registerDeleteChannel(app, ctx);
  registerTestChannel(app, ctx);
  registerChannelDeliveries(app, ctx);
}
