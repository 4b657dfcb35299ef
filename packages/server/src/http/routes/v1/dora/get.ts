/**
 * GET /api/v1/dora: the five delivery metrics over a range, each with its counts, band, series
 * and the events it counts, and the period before (extended API section 6; docs/dora.md).
 */
import type { FastifyInstance } from 'fastify';
import { resolveDoraQuery } from '../../../../dora/query.js';
import { doraService } from '../../../../dora/service.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { readParams } from '../../../query-params.js';

const PARAMS = ['from', 'to', 'period', 'subject', 'source'];

export function registerGetDora(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/dora', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const input = readParams(request.query, PARAMS);
    const resolved = resolveDoraQuery(input);
    if (!resolved.ok) throw badRequest(resolved.field, resolved.problem);
    return ok(await doraService(ctx.store).metrics(request.grant?.orgId as string, resolved.query));
  });
}
