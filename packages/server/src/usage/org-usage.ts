/**
 * An organization's plan, its limits (with the operator's overrides) and how much of each it
 * uses: what `GET /api/v1/usage` answers and `opstrails orgs show` prints (extended API section 8).
 */
import type { PlanLimits, PlanName } from '@opstrails/core';
import { guardrails } from '../guardrails/repository.js';
import { ChannelRepository } from '../store/channels.js';
import { IntegrationRepository } from '../store/integrations.js';
import type { Organization } from '../store/organizations.js';
import type { Store } from '../store/store.js';

export interface OrganizationUsage {
  plan: PlanName;
  limitOverrides: Partial<PlanLimits>;
  limits: PlanLimits;
  /** The current UTC month, `2026-11`. */
  period: string;
  usage: {
    eventsThisMonth: number;
    eventsToday: number;
    mcpCallsThisMonth: number;
    members: number;
    apiKeys: number;
    deploymentPolicies: number;
    freezeWindows: number;
    notificationChannels: number;
    analyticsIntegrations: number;
  };
}

export async function organizationUsage(
  store: Store,
  org: Organization,
  now = Date.now(),
): Promise<OrganizationUsage> {
  const rails = guardrails(store);
  const [events, mcp, apiKeys, members, policies, windows, channels, integrations] = await Promise.all([
    store.usage.get(org.id, 'events', now),
    store.usage.get(org.id, 'mcp_calls', now),
    store.apiKeys.countActive(org.id),
    store.memberships.count(org.id),
    rails.countPolicies(org.id),
    rails.countFreezes(org.id),
    new ChannelRepository(store.db).count(org.id),
    new IntegrationRepository(store.db).count(org.id),
  ]);
  return {
    plan: org.plan,
    limitOverrides: org.limitOverrides,
    limits: org.limits,
    period: new Date(now).toISOString().slice(0, 7),
    usage: {
      eventsThisMonth: events.month,
      eventsToday: events.day,
      mcpCallsThisMonth: mcp.month,
      members,
      apiKeys,
      deploymentPolicies: policies,
      freezeWindows: windows,
      notificationChannels: channels,
      analyticsIntegrations: integrations,
    },
  };
}
