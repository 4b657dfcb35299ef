/**
 * The metric store's upkeep, hourly and once across instances (reactions/scheduler.ts): raw
 * points past the raw retention are rolled up (store/metrics.ts), and each organization's plan
 * retention deletes older points and roll-ups. Both are idempotent per cutoff.
 */
import { type StopSchedule, schedulePeriodic } from '../reactions/scheduler.js';
import { metricRepository } from '../store/metrics.js';
import type { Store } from '../store/store.js';

const DAY_MS = 86_400_000;
const EVERY_MS = 3_600_000;

export async function maintainMetrics(
  store: Store,
  now = Date.now(),
): Promise<{ raw: number; fine: number }> {
  const metrics = metricRepository(store);
  for (const org of await store.organizations.list()) {
    const days = org.limits.retentionDays;
    if (days !== null) await metrics.deleteOlderThan(org.id, now - days * DAY_MS);
  }
  return metrics.rollUp(now);
}

export function scheduleMetricMaintenance(store: Store, onError: (error: unknown) => void): StopSchedule {
  return schedulePeriodic(
    store,
    { name: 'metric-rollup', everyMs: EVERY_MS, run: () => maintainMetrics(store) },
    onError,
  );
}
