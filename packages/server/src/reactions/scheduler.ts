/**
 * Periodic jobs (retention, metric polling) run once per period across every instance sharing
 * the store: on PostgreSQL under an advisory lock plus a record of the last run (see
 * store/job-runs.ts), on SQLite in the one server process. Within a process a run never overlaps
 * the previous one.
 */
import type { Store } from '../store/store.js';

export interface PeriodicJob {
  /** Its identity across instances: the lock and the last-run record are kept under it. */
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

/** Stops the schedule; resolves once a run in progress has finished. */
export type StopSchedule = () => Promise<void>;

/**
 * Runs of a store's periodic jobs in this process, one after another. On PostgreSQL a run holds a
 * pooled connection (its lock transaction) while the job takes others: as many jobs starting at
 * once as the pool has connections would hold them all and wait forever.
 */
const queues = new WeakMap<Store, Promise<unknown>>();

function oneAtATime(store: Store, run: () => Promise<unknown>): Promise<unknown> {
  const next = (queues.get(store) ?? Promise.resolve()).then(run, run);
  queues.set(
    store,
    next.catch(() => undefined),
  );
  return next;
}

/** Tries the job now and then every `everyMs` until stopped. */
export function schedulePeriodic(
  store: Store,
  job: PeriodicJob,
  onError: (error: unknown) => void,
): StopSchedule {
  let running: Promise<unknown> | null = null;
  const tick = () => {
    if (running) return;
    running = oneAtATime(store, () =>
      store.jobRuns.runExclusive(job.name, job.everyMs, async () => {
        await job.run();
      }),
    )
      .catch(onError)
      .finally(() => {
        running = null;
      });
  };
  tick();
  const timer = setInterval(tick, job.everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
