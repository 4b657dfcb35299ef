/**
 * GET /api/v1/channels/:id/deliveries?limit=: what the channel was sent, newest first:
 * `{deliveries: [{id, kind, status, attempts, lastError, createdAt, deliveredAt}]}`, status
 * `pending` (waiting or being sent), `delivered` or `failed`; `lastError` is the last failed
 * answer (the reason it gave up, once failed). Any key or session.
 */
import { formatTime } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { notFound } from './input.js';

export function registerChannelDeliveries(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string }; Querystring: { limit?: string } }>(
    '/api/v1/channels/:id/deliveries',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const raw = request.query.limit;
      const limit = raw === undefined ? 100 : Number(raw);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1_000)
        throw badRequest('limit', `must be a whole number from 1 to 1000, not "${raw}"`);
      const { channels } = channelServices(ctx.store, ctx.config);
      if (!(await channels.repo.get(orgId, request.params.id))) throw notFound(request.params.id);
      const rows = await channels.repo.deliveries(orgId, request.params.id, limit);
      return ok({
        deliveries: rows.map((d) => ({
          id: d.id,
          kind: d.kind,
          status: d.state === 'sending' ? 'pending' : d.state,
          attempts: d.attempts,
          lastError: d.state === 'delivered' ? null : d.lastAnswer,
          lastAnswer: d.lastAnswer,
          createdAt: formatTime(d.createdAt),
          deliveredAt: d.state === 'delivered' ? formatTime(d.updatedAt) : null,
        })),
      });
    },
  );
}
