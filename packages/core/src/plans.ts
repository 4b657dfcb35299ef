/** Plans and their limits (contract section 3). `null` means no limit. */
export interface PlanLimits {
  eventsPerMonth: number | null;
  eventsPerDay: number | null;
  retentionDays: number | null;
  mcpCallsPerMonth: number | null;
  members: number | null;
  apiKeys: number | null;
  deploymentPolicies: number | null;
  freezeWindows: number | null;
  notificationChannels: number | null;
  analyticsIntegrations: number | null;
}

export const PLANS = {
  /** The self-hosted default (ours): nothing is limited. */
  unlimited: {
    eventsPerMonth: null,
    eventsPerDay: null,
    retentionDays: null,
    mcpCallsPerMonth: null,
    members: null,
    apiKeys: null,
    deploymentPolicies: null,
    freezeWindows: null,
    notificationChannels: null,
    analyticsIntegrations: null,
  },
  free: {
    eventsPerMonth: 1_000,
    eventsPerDay: 100,
    retentionDays: 7,
    mcpCallsPerMonth: 100,
    members: 2,
    apiKeys: 2,
    deploymentPolicies: 1,
    freezeWindows: 1,
    notificationChannels: 1,
    analyticsIntegrations: 1,
  },
  starter: {
    eventsPerMonth: 20_000,
    eventsPerDay: 500,
    retentionDays: 30,
    mcpCallsPerMonth: 500,
    members: 10,
    apiKeys: 10,
    deploymentPolicies: 5,
    freezeWindows: 5,
    notificationChannels: 2,
    analyticsIntegrations: 3,
  },
  pro: {
    eventsPerMonth: 50_000,
    eventsPerDay: 1_000,
    retentionDays: 90,
    mcpCallsPerMonth: 2_500,
    members: 50,
    apiKeys: 50,
    deploymentPolicies: 25,
    freezeWindows: 25,
    notificationChannels: 25,
    analyticsIntegrations: null,
  },
} as const satisfies Record<string, PlanLimits>;

export type PlanName = keyof typeof PLANS;
export const PLAN_NAMES = Object.keys(PLANS) as PlanName[];

export function isPlanName(name: string): name is PlanName {
  return Object.hasOwn(PLANS, name);
}

/** Usage periods: calendar month and day, both UTC ("2026-11", "2026-11-22"). */
export function usagePeriods(ms: number): { month: string; day: string } {
  const iso = new Date(ms).toISOString();
  return { month: iso.slice(0, 7), day: iso.slice(0, 10) };
}

/** The limits an operator may override per organization, by the names `PlanLimits` gives them. */
export const LIMIT_NAMES = Object.keys(PLANS.unlimited) as (keyof PlanLimits)[];

export function isLimitName(name: string): name is keyof PlanLimits {
  return (LIMIT_NAMES as string[]).includes(name);
}

/**
 * An organization's limits: its plan's, with the operator's overrides on top (ours: a self-hoster
 * may give one team the starter plan with 20 keys). `null` in an override lifts that limit.
 */
export function effectiveLimits(plan: PlanName, overrides: Partial<PlanLimits> = {}): PlanLimits {
  return { ...PLANS[plan], ...overrides };
}

/** Reads stored overrides (JSON text), keeping only known names with a whole number >= 0 or null. */
export function parseLimitOverrides(text: string | null | undefined): Partial<PlanLimits> {
  if (!text) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof parsed !== 'object' || parsed === null) return {};
  const out: Partial<PlanLimits> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (isLimitName(name) && (value === null || (Number.isSafeInteger(value) && (value as number) >= 0))) {
      out[name] = value as number | null;
    }
  }
  return out;
}
