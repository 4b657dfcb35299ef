/**
 * GET /api/v1/promotion?version=&source=: the promotion path of a version (domain/promotion.ts):
 * when it first reached each subject, in order, and which ladder rungs it skipped. The console's
 * event page shows it; MCP's get_promotion_path answers the same question for agents.
 */
import type { FastifyInstance } from 'fastify';
import { promotionPath } from '../../../../domain/promotion.js';
import { toStoredEvent } from '../../../../store/events.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

/** More events of one version than any promotion has; the answer says when it was cut. */
const EVENTS_MAX = 1_000;

export function registerGetPromotion(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: { version?: unknown; source?: unknown } }>(
    '/api/v1/promotion',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const orgId = request.grant?.orgId as string;
      const { version, source } = request.query;
      if (typeof version !== 'string' || version === '')
        throw badRequest('version', 'is required: one exact version (e.g. ?version=2.4.1)');
      if (source !== undefined && typeof source !== 'string')
        throw badRequest('source', 'give it once (e.g. &source=BE)');
      const [rows, subjects] = await Promise.all([
        ctx.store.events.byVersion(orgId, version, source || undefined, EVENTS_MAX + 1),
        ctx.store.events.countBy(orgId, 'subject'),
      ]);
      const events = rows.slice(0, EVENTS_MAX).map(toStoredEvent);
      const path = promotionPath(
        events,
        subjects.map((s) => s.value),
      );
      return ok({ version, source: source || null, ...path, truncated: rows.length > EVENTS_MAX });
    },
  );
}
