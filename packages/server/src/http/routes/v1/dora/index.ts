/** Delivery metrics (DORA): one file per route. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerGetDoraEvents } from './events.js';
import { registerGetDora } from './get.js';
import { registerGetDoraSettings } from './settings-get.js';
import { registerUpdateDoraSettings } from './settings-update.js';

export function registerDoraRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerGetDora(app, ctx);
  registerGetDoraEvents(app, ctx);
  registerGetDoraSettings(app, ctx);
  registerUpdateDoraSettings(app, ctx);
}
