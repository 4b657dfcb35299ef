/** GET /api/v1/members: the organization's members and their roles. Any member may see the team. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';

export function registerListMembers(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/members', { preHandler: requireRole('MEMBER') }, async (request) =>
    ok(await ctx.store.memberships.list(request.grant?.orgId as string)),
  );
}
