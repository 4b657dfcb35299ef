/**
 * Retention: events older than the organization's plan allows are deleted for good (contract
 * sections 3 and 10), with what was derived from them: the guardrail violations they caused,
 * their impact verdicts, their judged DORA deployments (store/event-deletion.ts). Organizations on the unlimited
 * plan, the self-hosted default, keep everything. Deleting is idempotent, so several instances may run this at once harmlessly.
 */
import { pruneCheckHistory } from '../checks/history.js';
import { guardrails } from '../guardrails/repository.js';
import { type StopSchedule, schedulePeriodic } from '../reactions/scheduler.js';
import { deleteDerivedBefore } from '../store/event-deletion.js';
import type { Store } from '../store/store.js';

const DAY_MS = 86_400_000;
const EVERY_MS = 3_600_000;

export interface RetentionRun {
  /** Events deleted per organization slug (only organizations with something deleted). */
  deleted: Record<string, number>;
}

export async function applyRetention(store: Store, now = Date.now()): Promise<RetentionRun> {
  const deleted: Record<string, number> = {};
  for (const org of await store.organizations.list()) {
    const days = org.limits.retentionDays;
    if (days === null) continue;
    const n = await store.events.deleteOlderThan(org.id, now - days * DAY_MS);
    if (n > 0) deleted[org.slug] = n;
    // What was derived from those events goes with them (as when one event is deleted).
    await guardrails(store).pruneViolations(org.id, now - days * DAY_MS);
    await deleteDerivedBefore(store.db, org.id, now - days * DAY_MS);
  }
  await pruneCheckHistory(store, now);
  return { deleted };
}

/**
 * Runs retention now and then hourly until the returned function is called; with several
 * instances on one PostgreSQL, one of them runs it per hour (reactions/scheduler.ts).
 */
export function scheduleRetention(store: Store, onError: (error: unknown) => void): StopSchedule {
  return schedulePeriodic(
    store,
    { name: 'retention', everyMs: EVERY_MS, run: () => applyRetention(store) },
    onError,
  );
}
