/**
 * GET /api/v1/dora/events: every entry of one drill-down list of GET /api/v1/dora (the
 * deployments a figure counts, the failed ones with their reasons, the restores...), a page at a
 * time, in the answer's order; `nextCursor` continues it. The answer carries each list's first
 * entries and this link (`lists.<name>.href`). Same range, subject and source as GET /api/v1/dora.
 */
import type { FastifyInstance } from 'fastify';
import { DORA_LISTS, type DoraList } from '../../../../domain/dora/metrics.js';
import { resolveDoraQuery } from '../../../../dora/query.js';
import { decodeListCursor, doraService } from '../../../../dora/service.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { readParams } from '../../../query-params.js';

const PARAMS = ['metric', 'from', 'to', 'subject', 'source', 'cursor', 'limit'];
export const EVENTS_LIMIT_DEFAULT = 50;
export const EVENTS_LIMIT_MAX = 500;

export function registerGetDoraEvents(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/dora/events', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const input = readParams(request.query, PARAMS);
    const { metric, cursor, limit: rawLimit, ...rest } = input;
    if (metric === undefined)
      throw badRequest('metric', `is required: the list to page through, one of ${DORA_LISTS.join(', ')}`);
    if (!(DORA_LISTS as readonly string[]).includes(metric))
      throw badRequest('metric', `"${metric}" is not a list; use one of ${DORA_LISTS.join(', ')}`);
    let limit = EVENTS_LIMIT_DEFAULT;
    if (rawLimit !== undefined) {
      if (!/^\d+$/.test(rawLimit) || Number(rawLimit) < 1 || Number(rawLimit) > EVENTS_LIMIT_MAX)
        throw badRequest('limit', `must be a whole number from 1 to ${EVENTS_LIMIT_MAX}`);
      limit = Number(rawLimit);
    }
    const after = cursor === undefined ? undefined : decodeListCursor(cursor);
    if (cursor !== undefined && after === undefined)
      throw badRequest(
        'cursor',
        'is not a cursor this server gave out; use nextCursor from the previous page',
      );
    const resolved = resolveDoraQuery(rest);
    if (!resolved.ok) throw badRequest(resolved.field, resolved.problem);
    return ok(
      await doraService(ctx.store).events(
        request.grant?.orgId as string,
        resolved.query,
        metric as DoraList,
        after,
        limit,
      ),
    );
  });
}
