/** The one-time setup resource. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerCreateSetup } from './create.js';
import { registerGetSetup } from './get.js';

export function registerSetupRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerGetSetup(app, ctx);
  registerCreateSetup(app, ctx);
}
