/**
 * Runs the health checks that are due, each run exactly once across instances: the tick is a
 * periodic job (reactions/scheduler.ts: one instance at a time on PostgreSQL, under its advisory
 * lock), and each run is claimed by moving the check's next run on only if nobody has
 * (store/health-checks.ts `claim`), so a run is never made twice even by a retried tick. A run's
 * event (incident or resolution) is written before its state, with an id that derives from the
 * recorded state (the incident's correlationid is the time of the check's previous run, its first
 * failed one): should the state not be recorded, the next run writes the same event id again,
 * which stores nothing new.
 */
import type { AppContext } from '../http/context.js';
import { type StopSchedule, schedulePeriodic } from '../reactions/scheduler.js';
import {
  type CheckResult,
  type CheckRow,
  type CheckState,
  HealthCheckRepository,
} from '../store/health-checks.js';
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

/** The correlationid of an incident whose first failed run was at `at`; its time is read back for the resolution. */
const incidentId = (checkId: string, at: number) => `check:${checkId}:${at}`;
const openedAt = (incident: string) => Number(incident.slice(incident.lastIndexOf(':') + 1)) || null;

interface Run {
  check: CheckRow;
  result: CheckResult;
  state: CheckState;
}

/** Probes one claimed check and writes the event its transition calls for; its state is recorded with the others. */
async function runCheck(ctx: AppContext, check: CheckRow, now: number): Promise<Run> {
  const { result, error } = await probe(checkServices(ctx.store, ctx.config).http, check, now);
  const transition = nextState(check, { ok: result.ok, error }, incidentId(check.id, check.lastRunAt ?? now));
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
  return { check, result, state: { ...transition.state, lastError } };
}

/**
 * Runs every check due at `now`; answers how many ran here. The claims are one transaction and
 * the results another, whatever the number of checks: on SQLite each transaction is a disk sync.
 */
export async function runDueChecks(ctx: AppContext, now = Date.now()): Promise<number> {
  const due = await checkServices(ctx.store, ctx.config).repo.due(now, BATCH);
  if (due.length === 0) return 0;
  const write = writeTransaction(ctx.store.db, ctx.store.engine);
  const claimed = await write(async (trx) => {
    const repo = new HealthCheckRepository(trx);
    const mine: CheckRow[] = [];
    for (const check of due) if (await repo.claim(check, now)) mine.push(check);
    return mine;
  });
  const runs: Run[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < claimed.length; i = next++)
      runs.push(await runCheck(ctx, claimed[i] as CheckRow, now));
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, claimed.length) }, worker));
  await write((trx) => new HealthCheckRepository(trx).recordAll(runs));
  return claimed.length;
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
