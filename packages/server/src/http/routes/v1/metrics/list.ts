/** GET /api/v1/metrics: every metric of the organization, pushed or mapped. Any key or session. */
import { formatTime } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { listMetrics } from '../../../../integrations/series.js';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { readParams } from '../../../query-params.js';

export function registerListMetrics(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/metrics', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    readParams(request.query, []);
    const metrics = await listMetrics(metricServices(ctx.store, ctx.config), request.grant?.orgId as string);
    return ok({
      metrics: metrics.map((m) => ({
        ...m,
        lastPointAt: m.lastPointAt === null ? null : formatTime(m.lastPointAt),
      })),
    });
  });
}
