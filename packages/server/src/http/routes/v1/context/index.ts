/** The business context resource: one file per verb. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerGetContext } from './get.js';
import { registerPutContext } from './put.js';

export function registerContextRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerGetContext(app, ctx);
  registerPutContext(app, ctx);
}
