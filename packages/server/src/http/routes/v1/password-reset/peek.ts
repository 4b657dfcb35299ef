/** POST /api/v1/password-reset/peek: whose password a reset link sets and until when it works, without using it. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { passwordResets } from '../../../../accounts/password-reset.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { PUBLIC_BODY_LIMIT } from '../../../plugins/auth.js';
import { checkSameOrigin } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { resetToken, unusableLink } from './link-state.js';

export const PeekResetBody = z.object({ token: resetToken });

export function registerPeekReset(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/password-reset/peek', { bodyLimit: PUBLIC_BODY_LIMIT }, async (request) => {
    checkSameOrigin(request, ctx.config.publicUrl);
    const { token } = parseBody(PeekResetBody, request.body);
    const link = await passwordResets(ctx.store).state(token);
    if (link.state !== 'valid') throw unusableLink(link.state);
    return ok({ email: link.email, expiresAt: new Date(link.expiresAt).toISOString() });
  });
}
