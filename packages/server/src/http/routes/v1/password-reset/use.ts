/**
 * POST /api/v1/password-reset: sets a new password with a reset link (the same rules as setup).
 * The link is used once; every session and OAuth grant of the user ends (whoever knew the old
 * password is out, MCP clients included) and the sign-in waits of the email are cleared; then the user is signed in afresh.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { passwordResets } from '../../../../accounts/password-reset.js';
import { unlockEmail } from '../../../../auth/login-limiter.js';
import { oauthServices } from '../../../../auth/oauth/services.js';
import { hashPassword } from '../../../../auth/passwords.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { recordAudit } from '../../../plugins/audit.js';
import { PUBLIC_BODY_LIMIT } from '../../../plugins/auth.js';
import { checkSameOrigin } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { newPassword } from '../session/schemas.js';
import { startSession } from '../session/start.js';
import { resetToken, unusableLink } from './link-state.js';

export const UseResetBody = z.object({ token: resetToken, password: newPassword });

export function registerUseReset(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/password-reset', { bodyLimit: PUBLIC_BODY_LIMIT }, async (request, reply) => {
    checkSameOrigin(request, ctx.config.publicUrl);
    const { token, password } = parseBody(UseResetBody, request.body);
    const resets = passwordResets(ctx.store);
    const link = await resets.state(token);
    if (link.state !== 'valid') throw unusableLink(link.state);
    const used = await resets.use(token, await hashPassword(password));
    if (!used) throw unusableLink((await resets.state(token)).state as 'used');
    // The grants are revoked: their tokens stop working at once, not when the verifier's cache expires.
    oauthServices(app, ctx).tokens.forget();
    await unlockEmail(ctx.store.loginAttempts, link.email);
    const orgs = await ctx.store.memberships.ofUser(used.userId);
    for (const m of orgs) {
      await recordAudit(ctx, request, {
        action: 'password.reset',
        orgId: m.organization.id,
        actor: { type: 'user', id: used.userId, label: link.email },
        target: { type: 'user', id: used.userId, label: link.email },
      });
    }
    const first = orgs[0];
    // An account that belongs to no organization any more has the new password but nowhere to go.
    const session = first
      ? await startSession(ctx, request, reply, used.userId, first.organization.id)
      : null;
    return ok({ passwordChanged: true, session });
  });
}
