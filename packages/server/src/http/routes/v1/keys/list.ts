/** GET /api/v1/keys: the organization's live API keys (name, prefix, scope, created, last used). Admins only. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';

export function registerListKeys(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/keys', { preHandler: requireRole('ADMIN') }, async (request) =>
    ok(await ctx.store.apiKeys.list(request.grant?.orgId as string)),
  );
}
