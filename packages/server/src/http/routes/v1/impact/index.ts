/** The impact resource (extended API section 3): one file per verb; the event's own is events/impact.ts. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerGetImpact } from './get.js';
import { registerListRegressions } from './regressions.js';

export function registerImpactRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerGetImpact(app, ctx);
  registerListRegressions(app, ctx);
}
