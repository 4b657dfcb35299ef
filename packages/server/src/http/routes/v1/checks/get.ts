/**
 * GET /api/v1/checks/:id?limit=: one health check with `status`, `uptime: {day, week}` and
 * `history: [{time, ok, status, ms}]` (the last day's runs, newest first, at most `limit`,
 * default 100). Any key or session.
 */
import type { FastifyInstance } from 'fastify';
import { checkServices } from '../../../../checks/services.js';
import { checkDetailView } from '../../../../checks/view.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { notFound } from './input.js';

const HISTORY_DEFAULT = 100;
const HISTORY_MAX = 1_000;

export function registerGetCheck(app: FastifyInstance, ctx: AppContext): void {
  app.get<{ Params: { id: string }; Querystring: Record<string, string | undefined> }>(
    '/api/v1/checks/:id',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const { limit: rawLimit, ...rest } = request.query;
      const extra = Object.keys(rest)[0];
      if (extra) throw badRequest(extra, 'is not a parameter here (limit: how many recent runs)');
      const limit = rawLimit === undefined ? HISTORY_DEFAULT : Number(rawLimit);
      if (!Number.isInteger(limit) || limit < 1 || limit > HISTORY_MAX)
        throw badRequest('limit', `must be a whole number from 1 to ${HISTORY_MAX}`);
      const { repo } = checkServices(ctx.store, ctx.config);
      const row = await repo.get(request.grant?.orgId as string, request.params.id);
      if (!row) throw notFound(request.params.id);
      return ok(await checkDetailView(repo, row, Date.now(), limit));
    },
  );
}
