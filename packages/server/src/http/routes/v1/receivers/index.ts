/** Receivers (extended API section 9): one file per route. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerCreateReceiver } from './create.js';
import { registerDeleteReceiver } from './delete.js';
import { registerListReceivers } from './list.js';
import { registerReceiveDelivery } from './receive.js';
import { registerRotateReceiver } from './rotate.js';

export function registerReceiverRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerCreateReceiver(app, ctx);
  registerListReceivers(app, ctx);
  registerDeleteReceiver(app, ctx);
  registerRotateReceiver(app, ctx);
  registerReceiveDelivery(app, ctx);
}
