/**
 * Health checks (migration 020): each organization's HTTP checks with their run state, and one
 * row per run for uptime and response-time history. The tables are typed here, beside their
 * repository, through `withTables` (as receivers.ts does).
 *
 * Query assumptions: due checks are found through `health_checks_due` (next_run_at); history
 * reads one check's rows by the primary key (check_id, at); retention deletes by
 * `health_check_results_org_at`.
 */
import { type Kysely, sql } from 'kysely';
import { newId } from './ids.js';
import type { Database } from './schema.js';

export type CheckStatus = 'up' | 'down' | 'unknown';

interface HealthChecksTable {
  id: string;
  org_id: string;
  name: string;
  url: string;
  method: string;
  expected_status: number | null;
  expected_body: string | null;
  interval_seconds: number;
  timeout_seconds: number;
  subject: string;
  source: string;
  severity: string | null;
  paused: number;
  status: string;
  failures: number;
  /** The correlationid of the open incident, while the check is down. */
  incident: string | null;
  last_error: string | null;
  last_run_at: number | null;
  next_run_at: number;
  created_at: number;
  updated_at: number;
}

interface HealthCheckResultsTable {
  check_id: string;
  org_id: string;
  at: number;
  ok: number;
  /** The HTTP status; 0 when no answer came (refused, timed out, connection failed). */
  status: number;
  ms: number;
}

type CheckDatabase = Database & {
  health_checks: HealthChecksTable;
  health_check_results: HealthCheckResultsTable;
};

/** What a check is told to do: the fields POST /api/v1/checks takes. */
export interface CheckSettings {
  name: string;
  url: string;
  method: string;
  expectedStatus: number | null;
  expectedBody: string | null;
  intervalSeconds: number;
  timeoutSeconds: number;
  subject: string;
  source: string;
  severity: string | null;
  paused: boolean;
}

/** Where a check stands after its runs. */
export interface CheckState {
  status: CheckStatus;
  failures: number;
  incident: string | null;
  lastError: string | null;
}

export interface CheckRow extends CheckSettings, CheckState {
  id: string;
  orgId: string;
  lastRunAt: number | null;
  nextRunAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface CheckResult {
  at: number;
  ok: boolean;
  status: number;
  ms: number;
}

const toRow = (r: HealthChecksTable): CheckRow => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  url: r.url,
  method: r.method,
  expectedStatus: r.expected_status === null ? null : Number(r.expected_status),
  expectedBody: r.expected_body,
  intervalSeconds: Number(r.interval_seconds),
  timeoutSeconds: Number(r.timeout_seconds),
  subject: r.subject,
  source: r.source,
  severity: r.severity,
  paused: Number(r.paused) === 1,
  status: r.status as CheckStatus,
  failures: Number(r.failures),
  incident: r.incident,
  lastError: r.last_error,
  lastRunAt: r.last_run_at === null ? null : Number(r.last_run_at),
  nextRunAt: Number(r.next_run_at),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const settingsColumns = (s: CheckSettings) => ({
  name: s.name,
  url: s.url,
  method: s.method,
  expected_status: s.expectedStatus,
  expected_body: s.expectedBody,
  interval_seconds: s.intervalSeconds,
  timeout_seconds: s.timeoutSeconds,
  subject: s.subject,
  source: s.source,
  severity: s.severity,
  paused: s.paused ? 1 : 0,
});

export class HealthCheckRepository {
  private readonly db: Kysely<CheckDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<{
      health_checks: HealthChecksTable;
      health_check_results: HealthCheckResultsTable;
    }>();
  }

  /** A new check runs at once (its first run is due now). */
  async create(orgId: string, settings: CheckSettings, now = Date.now()): Promise<CheckRow> {
    const row: HealthChecksTable = {
      id: newId('chk'),
      org_id: orgId,
      ...settingsColumns(settings),
      status: 'unknown',
      failures: 0,
      incident: null,
      last_error: null,
      last_run_at: null,
      next_run_at: now,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('health_checks').values(row).execute();
    return toRow(row);
  }

  async count(orgId: string): Promise<number> {
    const row = await this.db
      .selectFrom('health_checks')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** A page of the organization's checks, oldest first, after the `after` one (a cursor). */
  async list(
    orgId: string,
    options: {
      limit?: number;
      offset?: number;
      after?: { createdAt: number; id: string };
      status?: CheckStatus;
    } = {},
  ): Promise<CheckRow[]> {
    let query = this.db.selectFrom('health_checks').selectAll().where('org_id', '=', orgId);
    const after = options.after;
    if (after)
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '>', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '>', after.id)]),
        ]),
      );
    if (options.status) query = query.where('status', '=', options.status);
    const rows = await query
      .orderBy('created_at')
      .orderBy('id')
      .limit(options.limit ?? 1000)
      .offset(options.offset ?? 0)
      .execute();
    return rows.map(toRow);
  }

  async get(orgId: string, id: string): Promise<CheckRow | null> {
    const row = await this.db
      .selectFrom('health_checks')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRow(row) : null;
  }

  /**
   * New settings. A changed URL or method, or a paused check resumed, is due now; the state
   * stays (an open incident stays open until a run passes).
   */
  async update(
    orgId: string,
    id: string,
    settings: CheckSettings,
    now = Date.now(),
  ): Promise<CheckRow | null> {
    const before = await this.get(orgId, id);
    if (!before) return null;
    const resumed = before.paused && !settings.paused;
    const rerun = resumed || before.url !== settings.url || before.method !== settings.method;
    await this.db
      .updateTable('health_checks')
      .set({
        ...settingsColumns(settings),
        ...(rerun ? { next_run_at: now } : {}),
        updated_at: now,
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    return this.get(orgId, id);
  }

  /** Deletes the check; answers it as it was (its open incident, if any), or null when there was none. */
  async delete(orgId: string, id: string): Promise<CheckRow | null> {
    const row = await this.db
      .deleteFrom('health_checks')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    return row ? toRow(row) : null;
  }

  /** Checks due at `now`, in every organization, oldest due first (the runner claims each). */
  async due(now: number, limit: number): Promise<CheckRow[]> {
    const rows = await this.db
      .selectFrom('health_checks')
      .selectAll()
      .where('next_run_at', '<=', now)
      .where('paused', '=', 0)
      .orderBy('next_run_at')
      .limit(limit)
      .execute();
    return rows.map(toRow);
  }

  /**
   * Takes one run of a due check: moves its next run on by its interval if nobody has since.
   * Answers whether this caller got it; of several instances (or a retry), exactly one does.
   */
  async claim(check: CheckRow, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('health_checks')
      .set({ next_run_at: now + check.intervalSeconds * 1000 })
      .where('id', '=', check.id)
      .where('next_run_at', '=', check.nextRunAt)
      .where('paused', '=', 0)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** A run's outcome: its history row and the check's new state (call inside a write transaction). */
  async record(check: CheckRow, result: CheckResult, state: CheckState): Promise<void> {
    await this.db
      .insertInto('health_check_results')
      .values({
        check_id: check.id,
        org_id: check.orgId,
        at: result.at,
        ok: result.ok ? 1 : 0,
        status: result.status,
        ms: result.ms,
      })
      .onConflict((oc) => oc.columns(['check_id', 'at']).doNothing())
      .execute();
    await this.db
      .updateTable('health_checks')
      .set({
        status: state.status,
        failures: state.failures,
        incident: state.incident,
        last_error: state.lastError,
        last_run_at: result.at,
      })
      .where('id', '=', check.id)
      .execute();
  }

  /** Several runs' outcomes (call inside a write transaction); checks deleted meanwhile are left out. */
  async recordAll(runs: { check: CheckRow; result: CheckResult; state: CheckState }[]): Promise<void> {
    if (runs.length === 0) return;
    const alive = await this.db
      .selectFrom('health_checks')
      .select('id')
      .where(
        'id',
        'in',
        runs.map((r) => r.check.id),
      )
      .execute();
    const ids = new Set(alive.map((r) => r.id));
    for (const run of runs) if (ids.has(run.check.id)) await this.record(run.check, run.result, run.state);
  }

  /** The check's runs since `from`, newest first, at most `limit`. */
  async history(checkId: string, from: number, limit: number): Promise<CheckResult[]> {
    const rows = await this.db
      .selectFrom('health_check_results')
      .select(['at', 'ok', 'status', 'ms'])
      .where('check_id', '=', checkId)
      .where('at', '>=', from)
      .orderBy('at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      at: Number(r.at),
      ok: Number(r.ok) === 1,
      status: Number(r.status),
      ms: Number(r.ms),
    }));
  }

  /** Runs and passing runs since `from`, and the mean response time of the passing ones. */
  async uptimeSince(
    checkId: string,
    from: number,
  ): Promise<{ runs: number; ok: number; meanMs: number | null }> {
    const row = await this.db
      .selectFrom('health_check_results')
      .select([
        sql<number>`count(*)`.as('runs'),
        sql<number>`coalesce(sum(ok), 0)`.as('ok'),
        sql<number | null>`avg(case when ok = 1 then ms end)`.as('mean_ms'),
      ])
      .where('check_id', '=', checkId)
      .where('at', '>=', from)
      .executeTakeFirst();
    const meanMs =
      row?.mean_ms === null || row?.mean_ms === undefined ? null : Math.round(Number(row.mean_ms));
    return { runs: Number(row?.runs ?? 0), ok: Number(row?.ok ?? 0), meanMs };
  }

  /** Deletes the organization's run history older than `before`; answers how many rows went. */
  async deleteHistoryBefore(orgId: string, before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('health_check_results')
      .where('org_id', '=', orgId)
      .where('at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
