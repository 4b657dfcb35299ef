/**
 * GET /api/v1/usage: this month's events and MCP calls against the plan, today's events,
 * retention; and (`limits`, `limitOverrides`, `usage`) every limit of the plan with the
 * operator's overrides and what the organization uses of each, as `opstrails orgs show` prints.
 */
import type { FastifyInstance } from 'fastify';
import { organizationUsage } from '../../../../usage/org-usage.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';

export function registerGetUsage(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/usage', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const orgId = request.grant?.orgId as string;
    const org = await ctx.store.organizations.byId(orgId);
    if (!org) throw new Error(`organization ${orgId} of a valid grant is missing`);
    const all = await organizationUsage(ctx.store, org);
    const { limits, usage } = all;
    return ok({
      plan: all.plan,
      period: all.period,
      events: {
        month: usage.eventsThisMonth,
        day: usage.eventsToday,
        monthLimit: limits.eventsPerMonth,
        dayLimit: limits.eventsPerDay,
      },
      mcpCalls: { month: usage.mcpCallsThisMonth, monthLimit: limits.mcpCallsPerMonth },
      apiKeys: { count: usage.apiKeys, limit: limits.apiKeys },
      members: { count: usage.members, limit: limits.members },
      retentionDays: limits.retentionDays,
      limits,
      limitOverrides: all.limitOverrides,
      usage,
    });
  });
}
