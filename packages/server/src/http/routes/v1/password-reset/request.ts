/**
 * POST /api/v1/password-reset/request: a signed-out user asks for a reset link by mail (when the
 * server has mail: OPSTRAILS_SMTP_URL). The answer is the same whether or not an account uses the
 * email, and comes before the account is even looked up, so neither its words nor its timing
 * tell. Requests are throttled per address and per email before that too
 * (accounts/reset-limiter.ts, on the sign-in counters), so the throttle says nothing either.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { MAILED_LINK_TTL_MS, passwordResets, resetUrl } from '../../../../accounts/password-reset.js';
import { admitResetRequest } from '../../../../accounts/reset-limiter.js';
import { resetMail } from '../../../../accounts/reset-mail.js';
import type { Mailer } from '../../../../channels/mailer.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { PUBLIC_BODY_LIMIT } from '../../../plugins/auth.js';
import { checkSameOrigin } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { email } from '../session/schemas.js';

export const NO_MAIL_MESSAGE =
  'mail: this server has no mail set up (OPSTRAILS_SMTP_URL), so it cannot send reset links; ask an OWNER or ADMIN of your organization for one (Settings → Members), or the operator (`opstrails users reset-password <email>`)';

export const RequestResetBody = z.object({ email });

export function registerRequestReset(app: FastifyInstance, ctx: AppContext, mailer: Mailer): void {
  app.post('/api/v1/password-reset/request', { bodyLimit: PUBLIC_BODY_LIMIT }, async (request, reply) => {
    checkSameOrigin(request, ctx.config.publicUrl);
    const body = parseBody(RequestResetBody, request.body);
    if (!mailer.configured) throw new ApiError('CONFLICT', NO_MAIL_MESSAGE);
    await admitResetRequest(ctx.store.loginAttempts, body.email, request.ip);
    // Looked up, made and sent after the answer: its words and its timing are the same either way.
    void mailLink(ctx, mailer, body.email).catch((error: unknown) =>
      request.log.warn({ err: error }, 'password reset mail not sent'),
    );
    return reply.code(202).send(
      ok({
        message:
          'If an account uses this email, a reset link is on its way; it works once, for an hour. Check the spam folder too.',
      }),
    );
  });
}

async function mailLink(ctx: AppContext, mailer: Mailer, email: string): Promise<void> {
  const user = await ctx.store.users.byEmail(email);
  if (!user || (await ctx.store.memberships.ofUser(user.id)).length === 0) return;
  const { token } = await passwordResets(ctx.store).create(user.id, 'self', MAILED_LINK_TTL_MS);
  const result = await mailer.send(
    resetMail(user.email, resetUrl(ctx.config.publicUrl, token), ctx.config.publicUrl),
  );
  if (!result.ok) throw new Error(result.answer);
}
