/**
 * GET /api/v1/metrics/series?metric=&subject=&source=&from=&to=&step=&aggregate=: one metric's
 * points for a subject (and source) at a step (`1m` default), each at its step's start, from the
 * local store or through the mapping's provider. `from` defaults to 24 hours before `to` (now).
 */

import { formatTime, parseQueryTime } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { metricNameProblem } from '../../../../domain/metrics/points.js';
import {
  DEFAULT_STEP_MS,
  formatStep,
  parseStep,
  SERIES_POINTS_MAX,
} from '../../../../domain/metrics/step.js';
import { loadSeries } from '../../../../integrations/series.js';
import { metricServices } from '../../../../integrations/services.js';
import { AGGREGATES, type Aggregate } from '../../../../store/metrics.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { readParams } from '../../../query-params.js';

const PARAMS = ['metric', 'subject', 'source', 'from', 'to', 'step', 'aggregate'];
const DAY_MS = 86_400_000;

function time(value: string, field: string, now: number): number {
  const parsed = parseQueryTime(value, now);
  if (!parsed.ok) throw badRequest(field, parsed.message);
  return parsed.ms;
}

export function registerMetricSeries(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/metrics/series', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const p = readParams(request.query, PARAMS);
    const now = Date.now();
    if (p.metric === undefined)
      throw badRequest('metric', 'is required, e.g. ?metric=error_rate&subject=PRODUCTION');
    const nameProblem = metricNameProblem(p.metric);
    if (nameProblem) throw badRequest('metric', nameProblem.replace(/^metric: /, ''));
    if (p.subject === undefined)
      throw badRequest('subject', 'is required: the environment, e.g. &subject=PRODUCTION');
    const to = p.to === undefined ? now : time(p.to, 'to', now);
    const from = p.from === undefined ? to - DAY_MS : time(p.from, 'from', now);
    if (from >= to) throw badRequest('from', `${formatTime(from)} is not before to (${formatTime(to)})`);
    let stepMs = DEFAULT_STEP_MS;
    if (p.step !== undefined) {
      const step = parseStep(p.step);
      if (!step.ok) throw badRequest('step', step.message);
      stepMs = step.ms;
    }
    if ((to - from) / stepMs > SERIES_POINTS_MAX)
      throw badRequest(
        'step',
        `${formatStep(stepMs)} over ${formatTime(from)} to ${formatTime(to)} is more than ${SERIES_POINTS_MAX} points; use a larger step or a shorter range`,
      );
    if (p.aggregate !== undefined && !AGGREGATES.includes(p.aggregate as Aggregate))
      throw badRequest(
        'aggregate',
        `must be one of ${AGGREGATES.join(', ')}, not "${p.aggregate.slice(0, 50)}"`,
      );
    const source = p.source ?? null;
    const loaded = await loadSeries(metricServices(ctx.store, ctx.config), {
      orgId: request.grant?.orgId as string,
      metric: p.metric,
      subject: p.subject,
      source,
      from,
      to,
      stepMs,
      aggregate: p.aggregate as Aggregate | undefined,
    });
    return ok({
      metric: p.metric,
      subject: p.subject,
      source,
      step: formatStep(loaded.stepMs),
      provider: loaded.provider,
      from: formatTime(from),
      to: formatTime(to),
      points: loaded.points.map((pt) => ({ time: formatTime(pt.time), value: pt.value })),
    });
  });
}
