/** POST /api/v1/invites/peek: what an invite link leads to (organization, role), without using it. */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { PUBLIC_BODY_LIMIT } from '../../../plugins/auth.js';
import { checkSameOrigin } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';

export const inviteToken = z.string().min(1, { message: 'is required' }).max(200);

export const inviteGone = () =>
  new ApiError('NOT_FOUND', 'token: this invite link was used, withdrawn or has expired; ask for a new one');

export function registerPeekInvite(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/invites/peek', { bodyLimit: PUBLIC_BODY_LIMIT }, async (request) => {
    checkSameOrigin(request, ctx.config.publicUrl);
    const { token } = parseBody(z.object({ token: inviteToken }), request.body);
    const target = await ctx.store.invites.peek(token);
    if (!target) throw inviteGone();
    return ok({ organization: target.orgName, role: target.role });
  });
}
