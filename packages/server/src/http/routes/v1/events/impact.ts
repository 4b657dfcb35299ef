/**
 * GET /api/v1/events/{id}/impact?window=2h&source=: each metric of the event's subject compared
 * before and after the event, judged by the published method (docs/impact.md). Computed when
 * asked; `provisional` while the after-window has not passed yet.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { assessImpact } from '../../../../impact/assess.js';
import { metricServices } from '../../../../integrations/services.js';
import { toStoredEvent } from '../../../../store/events.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { readParams } from '../../../query-params.js';
import { readWindow } from '../impact/params.js';

export function registerEventImpact(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string } }>(
    '/api/v1/events/:id/impact',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const { id } = request.params;
      const p = readParams(request.query, ['window', 'source']);
      const windowName = readWindow(p.window);
      const orgId = request.grant?.orgId as string;
      const rows = await ctx.store.events.findById(orgId, id, p.source);
      const [first] = rows;
      if (!first)
        throw new ApiError(
          'NOT_FOUND',
          `event "${id}"${p.source ? ` from source "${p.source}"` : ''} not found in this organization; find ids with GET /api/v1/events`,
        );
      if (rows.length > 1)
        throw new ApiError(
          'CONFLICT',
          `id "${id}" is used by ${rows.length} sources (${rows.map((r) => JSON.stringify(r.source)).join(', ')}); add ?source=<source> to pick one`,
        );
      const event = toStoredEvent(first);
      return ok(
        await assessImpact(metricServices(ctx.store, ctx.config), {
          orgId,
          at: Number(first.time),
          subject: event.subject,
          source: event.source,
          windowName,
          event,
          now: Date.now(),
        }),
      );
    },
  );
}
