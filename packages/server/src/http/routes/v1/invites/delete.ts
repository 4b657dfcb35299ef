/** DELETE /api/v1/invites/:id: withdraws a pending invite link. Admins only. */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';

export function registerDeleteInvite(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { id: string } }>(
    '/api/v1/invites/:id',
    { preHandler: requireRole('ADMIN') },
    async (request) => {
      if (!(await ctx.store.invites.revoke(request.grant?.orgId as string, request.params.id)))
        throw new ApiError('NOT_FOUND', `id: no pending invite "${request.params.id}" in this organization`);
      request.audit = { action: 'invite.withdrawn', target: { type: 'invite', id: request.params.id } };
      return ok({ id: request.params.id, revoked: true });
    },
  );
}
