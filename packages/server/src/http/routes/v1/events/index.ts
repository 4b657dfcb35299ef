/** The events resource: one file per verb. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerCreateEvents } from './create.js';
import { registerDeleteEvent } from './delete.js';
import { registerExportEvents } from './export.js';
import { registerGetEvent } from './get.js';
import { registerEventImpact } from './impact.js';
import { registerListEvents } from './list.js';
import { registerStreamEvents } from './stream.js';

export function registerEventRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerCreateEvents(app, ctx);
  registerListEvents(app, ctx);
  registerExportEvents(app, ctx);
  registerStreamEvents(app, ctx);
  registerGetEvent(app, ctx);
  registerDeleteEvent(app, ctx);
  registerEventImpact(app, ctx);
}
