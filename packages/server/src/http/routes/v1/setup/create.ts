/**
 * POST /api/v1/setup: the one-time first run. Creates the owner, names the install's
 * organization (the one API keys made before setup already belong to) and signs the owner in.
 * Refused once any user exists: there is no open self-registration.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { hashPassword } from '../../../../auth/passwords.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { PUBLIC_BODY_LIMIT } from '../../../plugins/auth.js';
import { checkSameOrigin } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { email, newPassword, organizationName, personName } from '../session/schemas.js';
import { startSession } from '../session/start.js';

export const SetupBody = z.object({
  name: personName,
  email,
  password: newPassword,
  organization: organizationName,
});

const alreadyDone = () =>
  new ApiError(
    'FORBIDDEN',
    'setup: this install is already set up; sign in, or ask an owner for an invite link',
  );

export function registerCreateSetup(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/setup', { bodyLimit: PUBLIC_BODY_LIMIT }, async (request, reply) => {
    checkSameOrigin(request, ctx.config.publicUrl);
    const body = parseBody(SetupBody, request.body);
    if (await ctx.store.users.setupDone()) throw alreadyDone();
    const org = await ctx.store.organizations.ensureDefault();
    const user = await ctx.store.users.setup(
      { email: body.email, name: body.name, passwordHash: await hashPassword(body.password) },
      org.id,
      body.organization,
    );
    if (!user) throw alreadyDone();
    return reply.code(201).send(ok(await startSession(ctx, request, reply, user.id, org.id)));
  });
}
