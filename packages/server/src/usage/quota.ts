/**
 * Plan enforcement for ingest: the monthly quota and the daily throttle (contract section 3).
 * An organization on the unlimited plan (the self-hosted default) costs one cached lookup.
 */
import { ApiError, PLANS, type PlanLimits, usagePeriods } from '@opstrails/core';
import type { Store } from '../store/store.js';

const PLAN_CACHE_MS = 5_000;

function secondsUntilNextUtcDay(now: number): number {
  const d = new Date(now);
  return (Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1) - now) / 1000;
}

function secondsUntilNextUtcMonth(now: number): number {
  const d = new Date(now);
  return (Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) - now) / 1000;
}

export class QuotaGuard {
  private readonly plans = new Map<string, { limits: PlanLimits; until: number }>();

  constructor(private readonly store: Store) {}

  async limits(orgId: string, now = Date.now()): Promise<PlanLimits> {
    const hit = this.plans.get(orgId);
    if (hit && hit.until > now) return hit.limits;
    const org = await this.store.organizations.byId(orgId);
    const limits: PlanLimits = org?.limits ?? PLANS.unlimited;
    this.plans.set(orgId, { limits, until: now + PLAN_CACHE_MS });
    return limits;
  }

  /** Throws QUOTA_EXCEEDED (429 with Retry-After) when storing `n` more events would pass a limit. */
  async admitEvents(orgId: string, n: number, now = Date.now()): Promise<void> {
    const limits = await this.limits(orgId, now);
    if (limits.eventsPerDay === null && limits.eventsPerMonth === null) return;
    const used = await this.store.usage.get(orgId, 'events', now);
    const { month, day } = usagePeriods(now);
    if (limits.eventsPerDay !== null && used.day + n > limits.eventsPerDay) {
      throw new ApiError(
        'QUOTA_EXCEEDED',
        `daily event limit reached: ${used.day} of ${limits.eventsPerDay} events stored on ${day} (UTC); it resets at UTC midnight`,
        undefined,
        secondsUntilNextUtcDay(now),
      );
    }
    if (limits.eventsPerMonth !== null && used.month + n > limits.eventsPerMonth) {
      throw new ApiError(
        'QUOTA_EXCEEDED',
        `monthly event quota reached: ${used.month} of ${limits.eventsPerMonth} events stored in ${month}; it resets on the 1st (UTC)`,
        undefined,
        secondsUntilNextUtcMonth(now),
      );
    }
  }
}
