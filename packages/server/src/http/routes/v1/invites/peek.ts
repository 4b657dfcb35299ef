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

/**
 * The answer for an invite link that leads nowhere, saying which case it is: the console shows
 * it and offers sign-in (someone who already joined just signs in).
 */
export async function inviteGone(ctx: AppContext, token: string): Promise<ApiError> {
  const why = {
    used: 'this invite link was already used; if you joined with it, sign in',
    expired: 'this invite link has expired; ask whoever sent it for a new one',
    unknown:
      'this invite link is not valid (withdrawn, or mistyped or cut off when copied); ask whoever sent it for a new one',
  }[(await ctx.store.invites.whyUnusable(token)) ?? 'used'];
  return new ApiError('NOT_FOUND', `token: ${why}`);
}

export const PeekInviteBody = z.object({ token: inviteToken });

export function registerPeekInvite(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/invites/peek', { bodyLimit: PUBLIC_BODY_LIMIT }, async (request) => {
    checkSameOrigin(request, ctx.config.publicUrl);
    const { token } = parseBody(PeekInviteBody, request.body);
    const target = await ctx.store.invites.peek(token);
    if (!target) throw await inviteGone(ctx, token);
    return ok({ organization: target.orgName, role: target.role });
  });
}
