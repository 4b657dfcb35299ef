/**
 * DELETE /api/v1/events/{id}: removes an event sent by mistake, with its impact verdict and
 * guardrail violations (store/event-deletion.ts). Configuration access: an OWNER/ADMIN session
 * or an ADMIN key; a CI pipeline's READ_WRITE key cannot erase its own trail. `?source=` picks
 * one when several sources used the id, as in GET. Recorded in the audit log.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { deleteEvent } from '../../../../store/event-deletion.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireConfigurationAccess } from '../../../plugins/configuration-access.js';

export function registerDeleteEvent(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string }; Querystring: { source?: string } }>(
    '/api/v1/events/:id',
    { preHandler: requireConfigurationAccess(ctx.keys) },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const { id } = request.params;
      const source = typeof request.query.source === 'string' ? request.query.source : undefined;
      const rows = await ctx.store.events.findById(orgId, id, source);
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
          `id "${id}" is used by ${rows.length} sources (${sources}); add ?source=<source> to delete one`,
        );
      }
      const deleted = await deleteEvent(ctx.store.db, orgId, id, first.source);
      if (!deleted) throw new ApiError('NOT_FOUND', `event "${id}" was deleted a moment ago`);
      request.audit = {
        action: 'event.deleted',
        target: {
          type: 'event',
          id,
          label: `${deleted.type} ${deleted.source}${deleted.subject ? ` -> ${deleted.subject}` : ''}`,
        },
        details: { source: deleted.source, type: deleted.type, subject: deleted.subject },
      };
      return ok({ id, source: deleted.source, deleted: true });
    },
  );
}
