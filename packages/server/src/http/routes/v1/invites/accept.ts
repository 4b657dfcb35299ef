/**
 * POST /api/v1/invites/accept: join through an invite link. A new email creates the account;
 * an existing one must give its password (and counts against the login throttle). The link is
 * consumed in the transaction that creates the membership (and the account), so it works once,
 * and a race lost on the email leaves it usable.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LoginLimiter } from '../../../../auth/login-limiter.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../../../auth/passwords.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { PUBLIC_BODY_LIMIT } from '../../../plugins/auth.js';
import { checkSameOrigin } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { email, personName } from '../session/schemas.js';
import { startSession } from '../session/start.js';
import { inviteGone, inviteToken } from './peek.js';

export const AcceptBody = z.object({
  token: inviteToken,
  email,
  password: z.string().min(1, { message: 'is required' }).max(1_000),
  name: personName.optional(),
});

export function registerAcceptInvite(app: FastifyInstance, ctx: AppContext): void {
  const limiter = new LoginLimiter(ctx.store.loginAttempts);
  app.post('/api/v1/invites/accept', { bodyLimit: PUBLIC_BODY_LIMIT }, async (request, reply) => {
    checkSameOrigin(request, ctx.config.publicUrl);
    const body = parseBody(AcceptBody, request.body);
    const target = await ctx.store.invites.peek(body.token);
    if (!target) throw await inviteGone(ctx, body.token);
    const org = await ctx.store.organizations.byId(target.orgId);
    const maxMembers = org ? org.limits.members : null;
    if (maxMembers !== null && (await ctx.store.memberships.count(target.orgId)) >= maxMembers)
      throw new ApiError(
        'FORBIDDEN',
        `members: the ${org?.plan} plan allows ${maxMembers}; ask an owner to make room`,
      );

    const existing = await ctx.store.users.byEmail(body.email);
    if (existing) {
      await limiter.admit(body.email, request.ip);
      if (!(await verifyPassword(body.password, existing.password_hash))) {
        throw new ApiError(
          'UNAUTHORIZED',
          'password: this email already has an account; give its password to join',
        );
      }
      await limiter.succeeded(body.email, request.ip);
    } else {
      const problem = passwordProblem(body.password);
      if (problem) throw new ApiError('VALIDATION_ERROR', `password: ${problem}`);
      if (!body.name) throw new ApiError('VALIDATION_ERROR', 'name: is required for a new account');
    }
    const who = existing?.id ?? {
      email: body.email,
      name: body.name as string,
      passwordHash: await hashPassword(body.password),
    };
    const joined = await ctx.store.invites.accept(body.token, who);
    if (joined === 'gone') throw await inviteGone(ctx, body.token);
    if (joined === 'email-taken') {
      throw new ApiError(
        'CONFLICT',
        `email: ${body.email} got an account a moment ago (another invite accepted at the same time); this invite is still valid: give that account's password to join with it`,
      );
    }
    request.audit = {
      action: 'invite.used',
      orgId: joined.orgId,
      actor: { type: 'user', id: joined.userId, label: body.email },
      target: { type: 'user', id: joined.userId, label: body.email },
      details: { role: target.role, newAccount: !existing },
    };
    return reply.code(201).send(ok(await startSession(ctx, request, reply, joined.userId, joined.orgId)));
  });
}
