/**
 * POST /api/v1/invites: an invite link for one person, with a role. The answer carries the token
 * once; the console turns it into `<origin>/invite#<token>` (a fragment never reaches server logs).
 */
import { ApiError, ROLES } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { canAssign } from '../../../../auth/roles.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';

export const INVITE_TTL_MS = 7 * 24 * 60 * 60_000;

export const InviteBody = z.object({
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }),
});

export function registerCreateInvite(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/invites', { preHandler: requireRole('ADMIN') }, async (request, reply) => {
    const account = request.account as NonNullable<typeof request.account>;
    const { role } = parseBody(InviteBody, request.body);
    if (!canAssign(account.role, null, role)) {
      throw new ApiError('FORBIDDEN', 'role: only an OWNER can invite another OWNER');
    }
    const { token, invite } = await ctx.store.invites.create(
      account.orgId,
      role,
      account.userId,
      INVITE_TTL_MS,
    );
    request.audit = {
      action: 'invite.created',
      target: { type: 'invite', id: invite.id },
      details: { role },
    };
    return reply.code(201).send(ok({ ...invite, token, path: `/invite#${token}` }));
  });
}
