/**
 * Shared by setup, login and invite acceptance: opens a session, sets the cookie, and
 * describes the signed-in state the console needs (user, organization, role, CSRF token).
 */
import type { Role } from '@opstrails/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isHttps, SESSION_TTL_MS, sessionCookie } from '../../../../auth/session-cookie.js';
import type { SessionRecord } from '../../../../store/sessions.js';
import type { AppContext } from '../../../context.js';

export interface SessionView {
  user: { id: string; email: string; name: string };
  organization: { id: string; slug: string; name: string; plan: string };
  role: Role;
  organizations: { id: string; name: string; role: Role }[];
  csrfToken: string;
}

export async function describeSession(ctx: AppContext, session: SessionRecord): Promise<SessionView> {
  const [user, memberships] = await Promise.all([
    ctx.store.users.byId(session.userId),
    ctx.store.memberships.ofUser(session.userId),
  ]);
  const current = memberships.find((m) => m.organization.id === session.orgId);
  if (!user || !current) throw new Error(`session ${session.id} points at a missing user or membership`);
  const { id, slug, name, plan } = current.organization;
  return {
    user: { id: user.id, email: user.email, name: user.name },
    organization: { id, slug, name, plan },
    role: session.role,
    organizations: memberships.map((m) => ({
      id: m.organization.id,
      name: m.organization.name,
      role: m.role,
    })),
    csrfToken: session.csrfToken,
  };
}

export async function startSession(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  orgId: string,
): Promise<SessionView> {
  const { token } = await ctx.store.sessions.create(userId, orgId, SESSION_TTL_MS);
  const session = await ctx.store.sessions.find(token);
  if (!session) throw new Error('new session not found');
  reply.header('set-cookie', sessionCookie(token, isHttps(request, ctx.config)));
  return describeSession(ctx, session);
}
