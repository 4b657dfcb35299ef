/**
 * Periodic jobs run once per period across instances. PostgreSQL: the run holds a transaction-
 * scoped advisory lock (keyed by schema and job name, so stores sharing a database stay apart)
 * and checks the job's last run under it; the lock transaction writes nothing, so it holds no
 * transaction id and never holds back the event log's horizon while the job runs. SQLite: one
 * server process, which just runs the job.
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from './engine.js';
import type { Database } from './schema.js';

/** A period counts as over a little early, so instances whose timers drift apart still run each period. */
const PERIOD_SLACK = 0.9;

export class JobRunRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  /**
   * Runs `job` unless another instance is running it or ran it less than a period ago; answers
   * whether it ran here.
   */
  async runExclusive(
    name: string,
    everyMs: number,
    job: () => Promise<void>,
    now = Date.now(),
  ): Promise<boolean> {
    if (this.engine !== 'postgres') {
      await job();
      await this.recordRun(name, now);
      return true;
    }
    return this.db.connection().execute(async (conn) => {
      await sql`begin`.execute(conn);
      try {
        const { rows } = await sql<{ locked: boolean }>`
          select pg_try_advisory_xact_lock(hashtextextended(current_schema() || ':job:' || ${name}, 0)) as locked`.execute(
          conn,
        );
        if (!rows[0]?.locked) return false;
        const last = await conn
          .selectFrom('job_runs')
          .select('last_run_at')
          .where('name', '=', name)
          .executeTakeFirst();
        if (last && now - Number(last.last_run_at) < everyMs * PERIOD_SLACK) return false;
        // Recorded before the run and outside the lock's transaction (which must stay free of a
        // transaction id): a run that dies halfway waits for the next period like a finished one.
        await this.recordRun(name, now);
        await job();
        return true;
      } finally {
        await sql`commit`.execute(conn);
      }
    });
  }

  async lastRun(name: string): Promise<number | null> {
    const row = await this.db
      .selectFrom('job_runs')
      .select('last_run_at')
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? Number(row.last_run_at) : null;
  }

  private async recordRun(name: string, at: number): Promise<void> {
    await this.db
      .insertInto('job_runs')
      .values({ name, last_run_at: at })
      .onConflict((oc) => oc.column('name').doUpdateSet({ last_run_at: at }))
      .execute();
  }
}
