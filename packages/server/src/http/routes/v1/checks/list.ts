/**
 * GET /api/v1/checks?limit=&cursor=: the organization's health checks in creation order, each
 * with its status and uptime, and `nextCursor` while there are more. Any key or session.
 */
import type { FastifyInstance } from 'fastify';
import { checkServices } from '../../../../checks/services.js';
import { checkView, cursorOf, parseCursor } from '../../../../checks/view.js';
import type { CheckRow } from '../../../../store/health-checks.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

const LIMIT_DEFAULT = 100;
const LIMIT_MAX = 500;

export function registerListChecks(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Querystring: Record<string, string | undefined> }>(
    '/api/v1/checks',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const { limit: rawLimit, cursor, ...rest } = request.query;
      const extra = Object.keys(rest)[0];
      if (extra) throw badRequest(extra, 'is not a parameter here (limit, cursor)');
      const limit = rawLimit === undefined ? LIMIT_DEFAULT : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > LIMIT_MAX)
        throw badRequest('limit', `must be a whole number from 1 to ${LIMIT_MAX}`);
      const after = cursor === undefined ? undefined : parseCursor(cursor);
      if (after === null)
        throw badRequest('cursor', 'is not a cursor; pass the nextCursor of the previous page');
      const { repo } = checkServices(ctx.store, ctx.config);
      const now = Date.now();
      const rows = await repo.list(request.grant?.orgId as string, { limit: limit + 1, after });
      const page = rows.slice(0, limit);
      return ok({
        checks: await Promise.all(page.map((row) => checkView(repo, row, now))),
        nextCursor:
          rows.length > limit && page.length > 0 ? cursorOf(page[page.length - 1] as CheckRow) : null,
      });
    },
  );
}
