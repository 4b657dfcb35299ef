/**
 * Retention of health-check history (run by the retention job, jobs/retention.ts): runs are kept
 * HISTORY_KEEP_DAYS, or less when the organization's plan keeps events less. A week is what
 * `uptime.week` needs; a run is a few bytes, a check every 10 seconds makes 8,640 a day.
 */
import { HealthCheckRepository } from '../store/health-checks.js';
import type { Store } from '../store/store.js';

const DAY_MS = 86_400_000;
export const HISTORY_KEEP_DAYS = 30;

/** Deletes the runs past each organization's keep; answers how many rows went. */
export async function pruneCheckHistory(store: Store, now = Date.now()): Promise<number> {
  const repo = new HealthCheckRepository(store.db);
  let deleted = 0;
  for (const org of await store.organizations.list()) {
    const days = Math.min(org.limits.retentionDays ?? HISTORY_KEEP_DAYS, HISTORY_KEEP_DAYS);
    deleted += await repo.deleteHistoryBefore(org.id, now - days * DAY_MS);
  }
  return deleted;
}
