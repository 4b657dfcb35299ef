/**
 * GET /api/v1/regressions?from=&to=&subject=&limit=&cursor=: the events whose impact was judged
 * `regressed` (by the impact job, once their after-window passed), newest event first, each with
 * its regressed metrics. `limit` 1-1,000, default 100.
 */
import type { FastifyInstance } from 'fastify';
import type { ImpactReport } from '../../../../impact/assess.js';
import { ImpactVerdictRepository } from '../../../../store/impact-verdicts.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { readParams } from '../../../query-params.js';
import { readTime } from './params.js';

export function registerListRegressions(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/regressions', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const p = readParams(request.query, ['from', 'to', 'subject', 'limit', 'cursor']);
    const now = Date.now();
    const from = p.from === undefined ? undefined : readTime('from', p.from, now);
    const to = p.to === undefined ? undefined : readTime('to', p.to, now);
    if (from !== undefined && to !== undefined && from > to) throw badRequest('from', 'must be before to');
    const limit = p.limit === undefined ? 100 : Number(p.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
      throw badRequest('limit', `must be a whole number from 1 to 1000, not ${JSON.stringify(p.limit)}`);
    const page = await new ImpactVerdictRepository(ctx.store.db).regressions(request.grant?.orgId as string, {
      from,
      to,
      subject: p.subject,
      limit,
      cursor: p.cursor,
    });
    return ok({
      regressions: page.rows.map((r) => {
        const report = JSON.parse(r.report ?? '{}') as ImpactReport;
        return {
          event: report.event,
          window: r.window,
          judgedAt: r.judged_at === null ? null : new Date(Number(r.judged_at)).toISOString(),
          summary: report.summary,
          metrics: report.metrics.filter((m) => m.verdict === 'regressed'),
          overlapping: report.overlapping,
        };
      }),
      nextCursor: page.nextCursor,
    });
  });
}
