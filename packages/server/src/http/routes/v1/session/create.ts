/**
 * POST /api/v1/session: sign in with email and password. Unknown emails cost the same scrypt
 * work as known ones, and every attempt is counted before the check (auth/login-limiter.ts).
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LoginLimiter } from '../../../../auth/login-limiter.js';
import { DUMMY_HASH, verifyPassword } from '../../../../auth/passwords.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { PUBLIC_BODY_LIMIT } from '../../../plugins/auth.js';
import { checkSameOrigin } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { email } from './schemas.js';
import { startSession } from './start.js';

export const LoginBody = z.object({
  email,
  password: z.string().min(1, { message: 'is required' }).max(1_000),
});

export function registerCreateSession(app: FastifyInstance, ctx: AppContext): void {
  const limiter = new LoginLimiter(ctx.store.loginAttempts);
  app.post('/api/v1/session', { bodyLimit: PUBLIC_BODY_LIMIT }, async (request, reply) => {
    checkSameOrigin(request, ctx.config.publicUrl);
    const body = parseBody(LoginBody, request.body);
    await limiter.admit(body.email, request.ip);
    const user = await ctx.store.users.byEmail(body.email);
    const valid = await verifyPassword(body.password, user?.password_hash ?? (await DUMMY_HASH));
    if (!user || !valid)
      throw new ApiError('UNAUTHORIZED', 'email or password: not recognised; check both and try again');
    await limiter.succeeded(body.email, request.ip);
    const orgs = await ctx.store.memberships.ofUser(user.id);
    const first = orgs[0];
    if (!first) {
      throw new ApiError(
        'FORBIDDEN',
        'this account belongs to no organization any more; ask an owner for an invite',
      );
    }
    // Sign-ins are rare enough to carry the cleanup of expired sessions.
    await ctx.store.sessions.deleteExpired();
    return ok(await startSession(ctx, request, reply, user.id, first.organization.id));
  });
}
