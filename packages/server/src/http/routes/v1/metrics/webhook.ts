/**
 * POST /api/v1/metrics/webhook (READ_WRITE): 1-5,000 metric points, as a JSON array or
 * `{"points": [...]}`. Each point is judged on its own: the good ones are stored (a point already
 * stored for its series and time gets the new value), the bad ones come back by index with the
 * field and the fix. Points count against no event quota.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  MetricPointSchema,
  POINTS_MAX,
  type ValidPoint,
  validatePoint,
} from '../../../../domain/metrics/points.js';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

const EXAMPLE = '[{"metric": "error_rate", "subject": "PRODUCTION", "time": "NOW", "value": 0.012}]';

const points = z.array(MetricPointSchema).min(1).max(POINTS_MAX);
const PointsObject = z.object({ points });

/**
 * The body (the OpenAPI document shows it): a JSON array of points or `{"points": [...]}`. The
 * handler checks it by hand, so each bad point comes back by index instead of failing the batch.
 */
export const MetricsWebhookBody = z.union([points, PointsObject]);

function pointsOf(body: unknown): unknown[] {
  if (Buffer.isBuffer(body) || body === undefined)
    throw new ApiError(
      'VALIDATION_ERROR',
      `request body: send JSON (Content-Type: application/json) such as ${EXAMPLE}`,
    );
  const items = Array.isArray(body) ? body : (body as { points?: unknown } | null)?.points;
  if (!Array.isArray(items))
    throw badRequest('request body', `must be a JSON array of points or {"points": [...]}: ${EXAMPLE}`);
  if (!Array.isArray(body)) {
    const extra = Object.keys(body as object).find((k) => !Object.hasOwn(PointsObject.shape, k));
    if (extra) throw badRequest(extra.slice(0, 100), 'is not a field here; send {"points": [...]}');
  }
  if (items.length === 0) throw badRequest('points', `is empty; send 1 to ${POINTS_MAX} points`);
  if (items.length > POINTS_MAX)
    throw new ApiError(
      'PAYLOAD_TOO_LARGE',
      `points: ${items.length} in one request; the limit is ${POINTS_MAX}, split them`,
    );
  return items;
}

export function registerMetricsWebhook(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/metrics/webhook',
    { preHandler: requireScope(ctx.keys, 'READ_WRITE') },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const now = Date.now();
      const items = pointsOf(request.body);
      const valid: ValidPoint[] = [];
      const rejected: { index: number; error: string; code: 'VALIDATION_ERROR' }[] = [];
      items.forEach((item, index) => {
        const result = validatePoint(item, now);
        if (result.ok) valid.push(result.point);
        else rejected.push({ index, error: result.error, code: 'VALIDATION_ERROR' });
      });
      await metricServices(ctx.store, ctx.config).metrics.ingest(orgId, valid, now);
      return ok({ accepted: valid.length, rejected });
    },
  );
}
