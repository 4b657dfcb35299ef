/** Forwarding rules (extended API section 5): one file per route. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerCreateForwarding } from './create.js';
import { registerDeleteForwarding } from './delete.js';
import { registerGetForwarding } from './get.js';
import { registerListForwarding } from './list.js';
import { registerUpdateForwarding } from './update.js';

export function registerForwardingRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerCreateForwarding(app, ctx);
  registerListForwarding(app, ctx);
  registerGetForwarding(app, ctx);
  registerUpdateForwarding(app, ctx);
  registerDeleteForwarding(app, ctx);
}
