/**
 * GET /api/v1/impact?time=&subject=&source=&window=: the impact judgement around a moment rather
 * than an event (an alert, a customer report): the subject's metrics before and after `time`.
 */
import type { FastifyInstance } from 'fastify';
import { assessImpact } from '../../../../impact/assess.js';
import { metricServices } from '../../../../integrations/services.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { readParams } from '../../../query-params.js';
import { readTime, readWindow } from './params.js';

export function registerGetImpact(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/impact', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const p = readParams(request.query, ['time', 'subject', 'source', 'window']);
    const now = Date.now();
    if (p.time === undefined)
      throw badRequest(
        'time',
        'is required: the moment to look around, e.g. ?time=2026-03-01T14:45:00Z or -2h',
      );
    if (p.subject === undefined)
      throw badRequest(
        'subject',
        'is required: the environment whose metrics to compare, e.g. &subject=PRODUCTION',
      );
    const windowName = readWindow(p.window);
    return ok(
      await assessImpact(metricServices(ctx.store, ctx.config), {
        orgId: request.grant?.orgId as string,
        at: readTime('time', p.time, now),
        subject: p.subject,
        source: p.source ?? null,
        windowName,
        event: null,
        now,
      }),
    );
  });
}
