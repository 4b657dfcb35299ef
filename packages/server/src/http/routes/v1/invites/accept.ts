/**
 * POST /api/v1/invites/accept: join through an invite link. A new email creates the account;
 * an existing one must give its password (and counts against the login lockout). The link is
 * consumed atomically, so it works once.
 */
import { ApiError, PLANS } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { LoginLimiter } from '../../../../auth/login-limiter.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../../../auth/passwords.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { checkSameOrigin } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { email, personName } from '../session/schemas.js';
import { startSession } from '../session/start.js';
import { inviteGone, inviteToken } from './peek.js';

const AcceptBody = z.object({
  token: inviteToken,
  email,
  password: z.string().min(1, { message: 'is required' }).max(1_000),
  name: personName.optional(),
});

export function registerAcceptInvite(app: FastifyInstance, ctx: AppContext): void {
  const limiter = new LoginLimiter(ctx.store.loginAttempts);
  app.post('/api/v1/invites/accept', async (request, reply) => {
    checkSameOrigin(request, ctx.config.publicUrl);
    const body = parseBody(AcceptBody, request.body);
    const target = await ctx.store.invites.peek(body.token);
    if (!target) throw inviteGone();
    const org = await ctx.store.organizations.byId(target.orgId);
    const maxMembers = org ? PLANS[org.plan].members : null;
    if (maxMembers !== null && (await ctx.store.memberships.count(target.orgId)) >= maxMembers)
      throw new ApiError(
        'FORBIDDEN',
        `members: the ${org?.plan} plan allows ${maxMembers}; ask an owner to make room`,
      );

    const existing = await ctx.store.users.byEmail(body.email);
    if (existing) {
      await limiter.check(body.email, request.ip);
      if (!(await verifyPassword(body.password, existing.password_hash))) {
        await limiter.failed(body.email, request.ip);
        throw new ApiError(
          'UNAUTHORIZED',
          'password: this email already has an account; give its password to join',
        );
      }
    } else {
      const problem = passwordProblem(body.password);
      if (problem) throw new ApiError('VALIDATION_ERROR', `password: ${problem}`);
      if (!body.name) throw new ApiError('VALIDATION_ERROR', 'name: is required for a new account');
    }
    if (!(await ctx.store.invites.consume(body.token))) throw inviteGone();
    const userId =
      existing?.id ??
      (
        await ctx.store.users.create({
          email: body.email,
          name: body.name as string,
          passwordHash: await hashPassword(body.password),
        })
      ).id;
    await ctx.store.memberships.add(userId, target.orgId, target.role);
    return reply.code(201).send(ok(await startSession(ctx, request, reply, userId, target.orgId)));
  });
}
