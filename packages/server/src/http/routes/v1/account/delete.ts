/**
 * DELETE /api/v1/account with `{"confirm": "<your email>"}`: a user deletes their own account.
 * Organizations only they belong to go with it, events and all (contract section 10: deleting
 * an account deletes its events). Refused, naming them, while they are the last OWNER of an
 * organization that has other members: someone else must be made OWNER first, or the
 * organization deleted. The remaining organizations' audit logs record the departure.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { oauthServices } from '../../../../auth/oauth/services.js';
import { clearedSessionCookie, isHttps } from '../../../../auth/session-cookie.js';
import { deleteUser, ownedWithOthers } from '../../../../store/account-deletion.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { recordAudit } from '../../../plugins/audit.js';
import { requireRole } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';

export const DeleteAccountBody = z.object({ confirm: z.string().max(300, { message: 'is too long' }) });

export function registerDeleteAccount(app: FastifyInstance, ctx: AppContext): void {
  app.delete('/api/v1/account', { preHandler: requireRole('MEMBER') }, async (request, reply) => {
    const account = request.account as NonNullable<typeof request.account>;
    const user = await ctx.store.users.byId(account.userId);
    if (!user) throw new ApiError('NOT_FOUND', 'account: it is already deleted');
    const { confirm } = parseBody(DeleteAccountBody, request.body);
    if (confirm.trim().toLowerCase() !== user.email)
      throw new ApiError(
        'VALIDATION_ERROR',
        `confirm: type your email exactly (${user.email}) to delete your account`,
      );
    const blocking = await ownedWithOthers(ctx.store.db, user.id);
    if (blocking.length > 0) throw lastOwner(blocking);
    const before = await ctx.store.memberships.ofUser(user.id);
    const outcome = await deleteUser(ctx.store, user.id);
    if ('blockedBy' in outcome) throw lastOwner(outcome.blockedBy);
    // Its keys (and its OAuth grants' keys) stop working at once, not when the verifiers' caches expire.
    ctx.keys.forget();
    oauthServices(app, ctx).tokens.forget();
    for (const m of before.filter((m) => !outcome.deletedOrgs.includes(m.organization.id))) {
      await recordAudit(ctx, request, {
        action: 'account.deleted',
        orgId: m.organization.id,
        actor: { type: 'user', id: user.id, label: user.email },
        target: { type: 'user', id: user.id, label: user.email },
      });
    }
    reply.header('set-cookie', clearedSessionCookie(isHttps(request, ctx.config)));
    return ok({ deleted: true, organizationsDeleted: outcome.deletedOrgs.length });
  });
}

function lastOwner(orgs: { name: string }[]): ApiError {
  const names = orgs.map((o) => `"${o.name}"`).join(', ');
  return new ApiError(
    'CONFLICT',
    `account: you are the last OWNER of ${names}, which other people use; make one of them OWNER (Settings → Members) or delete the organization first`,
  );
}
