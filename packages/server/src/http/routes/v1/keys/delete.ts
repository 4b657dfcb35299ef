/** DELETE /api/v1/keys/:id: revokes a key at once (the verifier's cache is dropped too). Admins only. */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';

export function registerDeleteKey(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/v1/keys/:id',
    { preHandler: requireRole('ADMIN') },
    async (request) => {
      const revoked = await ctx.store.apiKeys.revoke(request.grant?.orgId as string, request.params.id);
      if (!revoked)
        throw new ApiError('NOT_FOUND', `id: no live API key "${request.params.id}" in this organization`);
      ctx.keys.forget();
      const key = (await ctx.store.apiKeys.list(request.grant?.orgId as string, true)).find(
        (k) => k.id === request.params.id,
      );
      request.audit = {
        action: 'key.revoked',
        target: { type: 'key', id: request.params.id, label: key?.name },
      };
      return ok({ id: request.params.id, revoked: true });
    },
  );
}
