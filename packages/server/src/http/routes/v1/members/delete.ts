/**
 * DELETE /api/v1/members/:userId: remove a member (their sessions in this organization end too).
 * Admins remove others (owners only by owners); anyone may leave; the last owner cannot.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { canRemove } from '../../../../auth/roles.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';
import { assertChanged } from './change.js';

export function registerDeleteMember(app: FastifyInstance, ctx: AppContext): void {
  app.delete<{ Params: { userId: string } }>(
    '/api/v1/members/:userId',
    { preHandler: requireRole('MEMBER') },
    async (request) => {
      const account = request.account as NonNullable<typeof request.account>;
      const { userId } = request.params;
      if (userId !== account.userId) {
        const current = await ctx.store.memberships.role(userId, account.orgId);
        if (!canRemove(account.role, current)) {
          throw new ApiError(
            'FORBIDDEN',
            account.role === 'MEMBER'
              ? 'this action needs the ADMIN role; you are MEMBER in this organization'
              : 'only an OWNER can remove an OWNER',
          );
        }
      }
      assertChanged(await ctx.store.memberships.remove(account.orgId, userId), userId);
      request.audit = {
        action: userId === account.userId ? 'member.left' : 'member.removed',
        target: { type: 'user', id: userId, label: (await ctx.store.users.byId(userId))?.email },
      };
      return ok({ userId, removed: true });
    },
  );
}
