/**
 * Runs the health checks that are due, each run exactly once across instances: the tick is a
 * periodic job (reactions/scheduler.ts: one instance at a time on PostgreSQL, under its advisory
 * lock), and each run is claimed by moving the check's next run on only if nobody has
 * (store/health-checks.ts `claim`), so a run is never made twice even by a retried tick. A run's
 * event (incident or resolution) is written before its state: a crash between the two leaves
 * the same event id to write again, which stores nothing new.
 */
import type { AppContext } from '../http/context.js';
import { type StopSchedule, schedulePeriodic } from '../reactions/scheduler.js';
import { type CheckRow, HealthCheckRepository } from '../store/health-checks.js';
import { writeTransaction } from '../store/write-transaction.js';
import { writeCheckEvent } from './events.js';
import { probe } from './probe.js';
import { checkServices } from './services.js';
import { nextState } from './state.js';

/** How often due checks are looked for: a run starts at most this late. */
export const TICK_MS = 5_000;
/** Checks run at once within a tick (each waits at most its own timeout). */
const CONCURRENCY = 8;
const BATCH = 200;

/** The correlationid of an incident opened at `at`; its time is read back for the resolution. */
const incidentId = (checkId: string, at: number) => `check:${checkId}:${at}`;
const openedAt = (incident: string) => Number(incident.slice(incident.lastIndexOf(':') + 1)) || null;

async function runCheck(ctx: AppContext, check: CheckRow, now: number): Promise<boolean> {
  const { repo, http } = checkServices(ctx.store, ctx.config);
  if (!(await repo.claim(check, now))) return false;
  const { result, error } = await probe(http, check, now);
  const transition = nextState(check, { ok: result.ok, error }, incidentId(check.id, now));
  let lastError = transition.state.lastError;
  if (transition.event) {
    const correlationid = (
      transition.event === 'incident' ? transition.state.incident : check.incident
    ) as string;
    const refused = await writeCheckEvent(ctx, check, {
      kind: transition.event,
      correlationid,
      at: now,
      reason: error,
      since: transition.event === 'resolved' ? openedAt(correlationid) : null,
      status: result.status,
      ms: result.ms,
    });
    if (refused) lastError = lastError ? `${lastError}; ${refused}` : refused;
  }
  await writeTransaction(
    ctx.store.db,
    ctx.store.engine,
  )((trx) => new HealthCheckRepository(trx).record(check, result, { ...transition.state, lastError }));
  return true;
}

/** Runs every check due at `now`; answers how many ran here. */
export async function runDueChecks(ctx: AppContext, now = Date.now()): Promise<number> {
  const due = await checkServices(ctx.store, ctx.config).repo.due(now, BATCH);
  let ran = 0;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < due.length; i = next++) if (await runCheck(ctx, due[i] as CheckRow, now)) ran++;
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, due.length) }, worker));
  return ran;
}

export interface HealthCheckRunner {
  /** Runs the checks due at `now` at once (the schedule does this every tick). */
  runDue(now?: number): Promise<number>;
  stop: StopSchedule;
}

export function startHealthChecks(ctx: AppContext, onError: (error: unknown) => void): HealthCheckRunner {
  const stop = schedulePeriodic(
    ctx.store,
    { name: 'health-checks', everyMs: TICK_MS, run: () => runDueChecks(ctx) },
    onError,
  );
  return { runDue: (now) => runDueChecks(ctx, now), stop };
}
