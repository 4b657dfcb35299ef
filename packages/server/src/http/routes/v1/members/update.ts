/**
 * PATCH /api/v1/members/:userId: change a member's role. Admins may grant ADMIN or MEMBER;
 * only owners touch OWNER; the last owner cannot be demoted.
 */
import { ApiError, ROLES } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { canAssign } from '../../../../auth/roles.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { assertChanged } from './change.js';

export const RoleBody = z.object({ role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }) });

export function registerUpdateMember(app: FastifyInstance, ctx: AppContext): void {
  app.patch<{ Params: { userId: string } }>(
    '/api/v1/members/:userId',
    { preHandler: requireRole('ADMIN') },
    async (request) => {
      const account = request.account as NonNullable<typeof request.account>;
      const { role } = parseBody(RoleBody, request.body);
      const { userId } = request.params;
      const current = await ctx.store.memberships.role(userId, account.orgId);
      if (!canAssign(account.role, current, role)) {
        throw new ApiError('FORBIDDEN', 'role: only an OWNER can make someone OWNER or change an OWNER');
      }
      assertChanged(await ctx.store.memberships.setRole(account.orgId, userId, role), userId);
      request.audit = {
        action: 'member.role-changed',
        target: { type: 'user', id: userId, label: (await ctx.store.users.byId(userId))?.email },
        details: { from: current, to: role },
      };
      return ok({ userId, role });
    },
  );
}
