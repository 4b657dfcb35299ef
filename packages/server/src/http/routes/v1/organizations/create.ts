/**
 * POST /api/v1/organizations: a signed-in user starts another organization; they become its
 * OWNER and their session switches to it. (Operators can also create them with `opstrails orgs`.)
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireRole } from '../../../plugins/session.js';
import { parseBody } from '../../../validate.js';
import { organizationName } from '../session/schemas.js';
import { describeSession } from '../session/start.js';

function slugFor(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return `${base || 'org'}-${randomBytes(3).toString('hex')}`;
}

export const CreateOrganizationBody = z.object({ name: organizationName });

export function registerCreateOrganization(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/organizations', { preHandler: requireRole('MEMBER') }, async (request, reply) => {
    const account = request.account as NonNullable<typeof request.account>;
    const { name } = parseBody(CreateOrganizationBody, request.body);
    const org = await ctx.store.organizations.create(slugFor(name), name);
    await ctx.store.memberships.add(account.userId, org.id, 'OWNER');
    await ctx.store.sessions.switchOrg(account.id, org.id);
    return reply.code(201).send(ok(await describeSession(ctx, { ...account, orgId: org.id, role: 'OWNER' })));
  });
}
