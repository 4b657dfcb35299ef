/** GET /api/v1/usage: this month's events and MCP calls against the plan, today's events, retention. */
import { PLANS } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerGetUsage(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/usage', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const orgId = request.grant?.orgId as string;
    const now = Date.now();
    const [org, events, mcp, keys, members] = await Promise.all([
      ctx.store.organizations.byId(orgId),
      ctx.store.usage.get(orgId, 'events', now),
      ctx.store.usage.get(orgId, 'mcp_calls', now),
      ctx.store.apiKeys.countActive(orgId),
      ctx.store.memberships.count(orgId),
    ]);
    const plan = org?.plan ?? 'unlimited';
    const limits = PLANS[plan];
    return ok({
      plan,
      period: new Date(now).toISOString().slice(0, 7),
      events: {
        month: events.month,
        day: events.day,
        monthLimit: limits.eventsPerMonth,
        dayLimit: limits.eventsPerDay,
      },
      mcpCalls: { month: mcp.month, monthLimit: limits.mcpCallsPerMonth },
      apiKeys: { count: keys, limit: limits.apiKeys },
      members: { count: members, limit: limits.members },
      retentionDays: limits.retentionDays,
    });
  });
}
