/**
 * GET /api/v1/events/{id}: one event. `?source=` picks one when several sources used the
 * same id; without it such an id is a 409 that names the sources.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { toStoredEvent } from '../../../../store/events.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerGetEvent(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string }; Querystring: { source?: string } }>(
    '/api/v1/events/:id',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const { id } = request.params;
      const source = typeof request.query.source === 'string' ? request.query.source : undefined;
      const rows = await ctx.store.events.findById(request.grant?.orgId as string, id, source);
      const [first] = rows;
      if (!first) {
        throw new ApiError(
          'NOT_FOUND',
          `event "${id}"${source ? ` from source "${source}"` : ''} not found in this organization; find ids with GET /api/v1/events`,
        );
      }
      if (rows.length > 1) {
        const sources = rows.map((r) => JSON.stringify(r.source)).join(', ');
        throw new ApiError(
          'CONFLICT',
          `id "${id}" is used by ${rows.length} sources (${sources}); add ?source=<source> to pick one`,
        );
      }
      return ok(toStoredEvent(first));
    },
  );
}
