/**
 * Runs the health checks that are due, each run exactly once across instances: the tick is a
 * periodic job (reactions/scheduler.ts: one instance at a time on PostgreSQL, under its advisory
 * lock), and each run is claimed by moving the check's next run on only if nobody has
 * (store/health-checks.ts `claim`), so a run is never made twice even by a retried tick. A run's
 * event (incident or resolution) is written before its state, with an id that derives from the
 * recorded state (the incident's correlationid is the time of the check's previous run, its first
 * failed one): should the state not be recorded, the next run writes the same event id again,
 * which stores nothing new. The tick only claims; the probes run in a bounded pool that outlives
 * it (CheckPool), so a slow target holds neither the tick nor the other checks.
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
import { openedAt, writeCheckEvent } from './events.js';
import { probe } from './probe.js';
import { checkServices } from './services.js';
import { nextState } from './state.js';

/** How often due checks are looked for: a run starts at most this late. */
export const TICK_MS = 5_000;
/** Checks probed at once (each waits at most its own timeout); more due ones wait for a slot. */
const CONCURRENCY = 8;
const BATCH = 200;

/** The correlationid of an incident whose first failed run was at `at`; its time is read back for the resolution (openedAt). */
const incidentId = (checkId: string, at: number) => `check:${checkId}:${at}`;

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
 * Probes at most CONCURRENCY claimed checks at a time, across ticks, and records each run as soon
 * as it ends: a slow target holds one slot, never the tick, the other checks' states or the
 * store's other periodic jobs (scheduler.ts runs those one after another). Runs that end while a
 * record is being written are written together in the next transaction (on SQLite each
 * transaction is a disk sync).
 */
class CheckPool {
  private readonly queue: (() => void)[] = [];
  private active = 0;
  /** Checks with a run claimed here and not yet recorded: a tick does not claim them again. */
  readonly inFlight = new Set<string>();
  private readonly pending = new Set<Promise<void>>();
  private toRecord: { run: Run; done: (error?: unknown) => void }[] = [];
  private recording = false;

  constructor(private readonly ctx: AppContext) {}

  /** Starts the run of a claimed check; resolves once its state is recorded. */
  start(check: CheckRow, now: number): Promise<void> {
    this.inFlight.add(check.id);
    const done = this.slot(() => runCheck(this.ctx, check, now))
      .then((run) => this.record(run))
      .finally(() => {
        this.inFlight.delete(check.id);
        this.pending.delete(done);
      });
    this.pending.add(done);
    return done;
  }

  /** Resolves once every run started so far has ended (the runner stopping). */
  async idle(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private async slot<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= CONCURRENCY) await new Promise<void>((resolve) => this.queue.push(resolve));
    else this.active += 1;
    try {
      return await work();
    } finally {
      const next = this.queue.shift();
      // The slot passes straight to the next waiting run; the count drops only when none waits.
      if (next) next();
      else this.active -= 1;
    }
  }

  private record(run: Run): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.toRecord.push({ run, done: (error) => (error === undefined ? resolve() : reject(error)) });
      void this.writeRecords();
    });
  }

  private async writeRecords(): Promise<void> {
    if (this.recording) return;
    this.recording = true;
    const write = writeTransaction(this.ctx.store.db, this.ctx.store.engine);
    while (this.toRecord.length > 0) {
      const batch = this.toRecord;
      this.toRecord = [];
      try {
        await write((trx) => new HealthCheckRepository(trx).recordAll(batch.map((b) => b.run)));
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.done(error ?? new Error('recording health check runs failed'));
      }
    }
    this.recording = false;
  }
}

/**
 * Claims every check due at `now` (one transaction, whatever their number) and starts their runs
 * in the pool; answers the runs started here, each resolving once recorded. Checks with a run of
 * this process still going are left for a later tick.
 */
async function claimDue(ctx: AppContext, pool: CheckPool, now: number): Promise<Promise<void>[]> {
  const due = (await checkServices(ctx.store, ctx.config).repo.due(now, BATCH)).filter(
    (check) => !pool.inFlight.has(check.id),
  );
  if (due.length === 0) return [];
  const write = writeTransaction(ctx.store.db, ctx.store.engine);
  const claimed = await write(async (trx) => {
    const repo = new HealthCheckRepository(trx);
    const mine: CheckRow[] = [];
    for (const check of due) if (await repo.claim(check, now)) mine.push(check);
    return mine;
  });
  return claimed.map((check) => pool.start(check, now));
}

export interface HealthCheckRunner {
  /** Runs the checks due at `now` at once and waits for their runs; answers how many ran here. */
  runDue(now?: number): Promise<number>;
  /** Stops the schedule; resolves once the runs in progress are recorded. */
  stop: StopSchedule;
}

export function startHealthChecks(ctx: AppContext, onError: (error: unknown) => void): HealthCheckRunner {
  const pool = new CheckPool(ctx);
  // A tick only claims and starts runs: it ends before their probes do.
  const tick = async () => {
    for (const run of await claimDue(ctx, pool, Date.now())) run.catch(onError);
  };
  const stopSchedule = schedulePeriodic(
    ctx.store,
    { name: 'health-checks', everyMs: TICK_MS, run: tick },
    onError,
  );
  return {
    async runDue(now = Date.now()) {
      const runs = await claimDue(ctx, pool, now);
      await Promise.all(runs);
      return runs.length;
    },
    async stop() {
      await stopSchedule();
      await pool.idle();
    },
  };
}
