/** PUT /api/v1/session: switch the session to another organization the user belongs to. */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { describeSession } from './start.js';

export const SwitchBody = z.object({
  organizationId: z.string().min(1, { message: 'is required' }).max(100),
});

export function registerUpdateSession(app: FastifyInstance, ctx: AppContext): void {
  app.put('/api/v1/session', { preHandler: requireRole('MEMBER') }, async (request) => {
    const session = request.account as NonNullable<typeof request.account>;
    const { organizationId } = parseBody(SwitchBody, request.body);
    const role = await ctx.store.memberships.role(session.userId, organizationId);
    if (!role) throw new ApiError('NOT_FOUND', `organizationId: you are not a member of "${organizationId}"`);
    await ctx.store.sessions.switchOrg(session.id, organizationId);
    return ok(await describeSession(ctx, { ...session, orgId: organizationId, role }));
  });
}
