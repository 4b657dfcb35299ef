/** POST /api/v1/keys: a new API key; the answer holds the key itself, the only time it is shown. Admins only. */
import { ApiError, SCOPES } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';

export const CreateKeyBody = z.object({
  name: z.string().trim().min(1, { message: 'is required' }).max(100),
  scope: z.enum(SCOPES, { message: `must be ${SCOPES.slice(0, -1).join(', ')} or ${SCOPES.at(-1)}` }),
});

export function registerCreateKey(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/keys', { preHandler: requireRole('ADMIN') }, async (request, reply) => {
    const orgId = request.grant?.orgId as string;
    const { name, scope } = parseBody(CreateKeyBody, request.body);
    const org = await ctx.store.organizations.byId(orgId);
    const max = org ? org.limits.apiKeys : null;
    if (max !== null && (await ctx.store.apiKeys.countActive(orgId)) >= max) {
      throw new ApiError('FORBIDDEN', `API keys: the ${org?.plan} plan allows ${max}; revoke one first`);
    }
    const created = await ctx.store.apiKeys.create(orgId, name, scope);
    request.audit = {
      action: 'key.created',
      target: { type: 'key', id: created.info.id, label: name },
      details: { scope },
    };
    return reply.code(201).send(ok(created));
  });
}
