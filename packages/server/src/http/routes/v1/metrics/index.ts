/** Metric points, series and mappings (extended API sections 1-2): one file per route. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { registerListMetrics } from './list.js';
import { registerCreateMapping } from './mappings-create.js';
import { registerDeleteMapping } from './mappings-delete.js';
import { registerListMappings } from './mappings-list.js';
import { registerUpdateMapping } from './mappings-update.js';
import { registerMetricSeries } from './series.js';
import { registerUpdateMetric } from './update.js';
import { registerMetricsWebhook } from './webhook.js';

export function registerMetricRoutes(app: FastifyInstance, ctx: AppContext): void {
  registerMetricsWebhook(app, ctx);
  registerListMetrics(app, ctx);
  registerMetricSeries(app, ctx);
  registerUpdateMetric(app, ctx);
  registerListMappings(app, ctx);
  registerCreateMapping(app, ctx);
  registerUpdateMapping(app, ctx);
  registerDeleteMapping(app, ctx);
}
