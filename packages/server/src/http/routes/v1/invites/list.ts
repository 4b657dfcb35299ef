/** GET /api/v1/invites: pending invite links (role, created, expiry). Admins only. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';

export function registerListInvites(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/invites', { preHandler: requireRole('ADMIN') }, async (request) =>
    ok(await ctx.store.invites.pending(request.grant?.orgId as string)),
  );
}
