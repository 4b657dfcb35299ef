/** GET /api/v1/events: filtered, newest first, keyset-paged with `cursor`. */
import { type EventPage, LIMITS } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { toStoredEvent } from '../../../../store/events.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { encodeCursor, parseCursor, parseFilter, parseLimit, type Query } from './query.js';

export function registerListEvents(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/events', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const query = request.query as Query;
    const filter = parseFilter(query, ['limit', 'cursor']);
    const limit = parseLimit(query, LIMITS.queryLimitDefault, LIMITS.queryLimitMax);
    const page = await ctx.store.events.list(
      request.grant?.orgId as string,
      filter,
      limit,
      parseCursor(query),
    );
    const answer: EventPage = {
      events: page.rows.map(toStoredEvent),
      nextCursor: page.next ? encodeCursor(page.next) : null,
    };
    return ok(answer);
  });
}
