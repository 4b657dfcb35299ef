/**
 * PATCH /api/v1/metrics/{name} (configuration): `{direction?, unit?}` of a pushed metric; null
 * returns a field to its default (the direction read from the name, no unit).
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DIRECTIONS, defaultDirection, isDirection } from '../../../../domain/metrics/direction.js';
import { metricNameProblem } from '../../../../domain/metrics/points.js';
import { metricServices } from '../../../../integrations/services.js';
import type { MetricSettings } from '../../../../store/metrics.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';

const EXAMPLE = '{"direction": "lower-is-better", "unit": "%"}';

/** The body (the OpenAPI document shows it; its fields are the ones readChange accepts). */
export const MetricSettingsBody = z.object({
  direction: z.enum(DIRECTIONS).nullable().optional(),
  unit: z.string().min(1).max(30).nullable().optional().describe('e.g. "%", "ms" or "req/s"; null for none'),
});

function readChange(body: unknown): Partial<MetricSettings> {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body))
    throw badRequest('request body', `must be a JSON object: ${EXAMPLE}`);
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).find((k) => !Object.hasOwn(MetricSettingsBody.shape, k));
  if (unknown) throw badRequest(unknown.slice(0, 100), `is not a field here; ${EXAMPLE}`);
  if (b.direction === undefined && b.unit === undefined)
    throw badRequest('request body', `give direction or unit: ${EXAMPLE}`);
  const change: Partial<MetricSettings> = {};
  if (b.direction !== undefined) {
    if (b.direction !== null && !isDirection(b.direction))
      throw badRequest(
        'direction',
        `must be lower-is-better, higher-is-better or either (null for the default), not ${JSON.stringify(b.direction)}`,
      );
    change.direction = b.direction;
  }
  if (b.unit !== undefined) {
    if (b.unit !== null && (typeof b.unit !== 'string' || b.unit.trim() === '' || b.unit.length > 30))
      throw badRequest(
        'unit',
        'must be a string of 1-30 characters such as "%", "ms" or "req/s" (null for none)',
      );
    change.unit = b.unit as string | null;
  }
  return change;
}

export function registerUpdateMetric(app: FastifyInstance, ctx: AppContext): void {
  app.patch<{ Params: { name: string } }>(
    '/api/v1/metrics/:name',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const { name } = request.params;
      const problem = metricNameProblem(name, 'name');
      if (problem) throw new ApiError('VALIDATION_ERROR', problem);
      const change = readChange(request.body);
      const services = metricServices(ctx.store, ctx.config);
      if ((await services.metrics.listSeries(orgId, name)).length === 0) {
        const mapped = (await services.integrations.rows.mappings(orgId)).filter((m) => m.metric === name);
        if (mapped.length > 0)
          throw badRequest(
            'name',
            `${name} is read through a mapping; change its direction and unit there (PATCH /api/v1/metrics/mappings/${mapped[0]?.id})`,
          );
        throw new ApiError(
          'NOT_FOUND',
          `metric "${name}" has no pushed points in this organization; send some first (POST /api/v1/metrics/webhook)`,
        );
      }
      const settings = await services.metrics.updateSettings(orgId, name, change);
      return ok({
        name,
        provider: 'pushed',
        direction: settings.direction ?? defaultDirection(name),
        unit: settings.unit,
      });
    },
  );
}
