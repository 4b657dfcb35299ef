/** Analytics integrations (extended API section 2): one file per route. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerCreateIntegration } from './create.js';
import { registerDeleteIntegration } from './delete.js';
import { registerGetIntegration } from './get.js';
import { registerListIntegrations } from './list.js';
import { registerTestIntegration } from './test.js';
import { registerUpdateIntegration } from './update.js';

export function registerIntegrationRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerCreateIntegration(app, ctx);
  registerListIntegrations(app, ctx);
  registerGetIntegration(app, ctx);
  registerUpdateIntegration(app, ctx);
  registerDeleteIntegration(app, ctx);
  registerTestIntegration(app, ctx);
}
