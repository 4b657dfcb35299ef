/**
 * POST /api/v1/members/:userId/reset-link: an OWNER or ADMIN makes a single-use password reset
 * link for a member who forgot their password (valid a day). Admins reach MEMBERs and ADMINs;
 * only an OWNER makes one for an OWNER, as with removal: a link is a way into the account.
 * The answer carries the link once; it is recorded in the audit log (never the token).
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import {
  HANDED_LINK_TTL_MS,
  passwordResets,
  resetPath,
  resetUrl,
} from '../../../../accounts/password-reset.js';
import { canRemove } from '../../../../auth/roles.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';

export function registerMemberResetLink(app: FastifyInstance, ctx: AppContext): void {
  app.post<{ Params: { userId: string } }>(
    '/api/v1/members/:userId/reset-link',
    { preHandler: requireRole('ADMIN') },
    async (request, reply) => {
      const account = request.account as NonNullable<typeof request.account>;
      const { userId } = request.params;
      const role = await ctx.store.memberships.role(userId, account.orgId);
      if (!role) throw new ApiError('NOT_FOUND', `userId: "${userId}" is not a member of this organization`);
      if (userId !== account.userId && !canRemove(account.role, role))
        throw new ApiError('FORBIDDEN', 'only an OWNER can make a reset link for an OWNER');
      const user = await ctx.store.users.byId(userId);
      const { token, expiresAt } = await passwordResets(ctx.store).create(
        userId,
        `user:${account.userId}`,
        HANDED_LINK_TTL_MS,
      );
      request.audit = {
        action: 'password.reset-link-created',
        target: { type: 'user', id: userId, label: user?.email },
      };
      return reply.code(201).send(
        ok({
          userId,
          email: user?.email,
          path: resetPath(token),
          url: resetUrl(ctx.config.publicUrl, token),
          expiresAt: new Date(expiresAt).toISOString(),
        }),
      );
    },
  );
}
