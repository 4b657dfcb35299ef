/**
 * GET /api/v1/guardrails/violations?from=&to=&limit=&cursor=: recorded violations, newest
 * violating event first (`from`/`to` on that event's time; `limit` up to 1,000, default 100).
 * (ours) `eventIds=a,b,…` (up to 1,000) narrows to those events: what the console's feed and grid
 * ask to badge the events on screen.
 */
import { parseQueryTime } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { guardrails } from '../../../../guardrails/repository.js';
import { violationAnswer } from '../../../../store/guardrails.js';
import type { AppContext } from '../../../context.js';
import { badRequest, ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { readParams } from '../../../query-params.js';

const PARAMS = ['from', 'to', 'limit', 'cursor', 'eventIds'];

function bound(name: string, value: string | undefined, now: number): number | undefined {
  if (value === undefined) return undefined;
  const parsed = parseQueryTime(value, now);
  if (!parsed.ok) throw badRequest(name, parsed.message);
  return parsed.ms;
}

export function registerListViolations(app: FastifyInstance, ctx: AppContext): void {
  app.get(
    '/api/v1/guardrails/violations',
    { preHandler: requireScope(ctx.keys, 'READ_ONLY') },
    async (request) => {
      const q = readParams(request.query, PARAMS);
      const now = Date.now();
      const from = bound('from', q.from, now);
      const to = bound('to', q.to, now);
      if (from !== undefined && to !== undefined && from > to) throw badRequest('from', 'must be before to');
      const limit = q.limit === undefined ? 100 : Number(q.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
        throw badRequest('limit', `must be a whole number from 1 to 1000, not ${JSON.stringify(q.limit)}`);
      const eventIds = q.eventIds?.split(',').filter((id) => id.length > 0);
      if (eventIds && eventIds.length > 1000) throw badRequest('eventIds', 'lists at most 1,000 ids');
      const page = await guardrails(ctx.store).listViolations(request.grant?.orgId as string, {
        from,
        to,
        limit,
        cursor: q.cursor,
        eventIds,
      });
      return ok({ violations: page.violations.map(violationAnswer), nextCursor: page.nextCursor });
    },
  );
}
