/** Health checks (extended API section 9): one file per route. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerCreateCheck } from './create.js';
import { registerDeleteCheck } from './delete.js';
import { registerGetCheck } from './get.js';
import { registerListChecks } from './list.js';
import { registerUpdateCheck } from './update.js';

export function registerCheckRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerCreateCheck(app, ctx);
  registerListChecks(app, ctx);
  registerGetCheck(app, ctx);
  registerUpdateCheck(app, ctx);
  registerDeleteCheck(app, ctx);
}
