/**
 * The stored DORA judgements (migration 021): one row per judged deployment, the days whose
 * events changed since (`dora_dirty`, each with a mark that only grows), and the failure window
 * the rows were judged with. dora/judgements.ts decides what to judge; this file only reads and
 * writes rows. The answers read them through store/dora-figures.ts.
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from './engine.js';
import type { Database } from './schema.js';
import { writeTransaction } from './write-transaction.js';

export interface DoraDeploymentsTable {
  org_id: string;
  event_source: string;
  event_id: string;
  time: number;
  subject: string;
  subject_lower: string;
  source_lower: string;
  type: string;
  version: string | null;
  evidence: string | null;
  failure: string | null;
  restore: string | null;
  restore_ms: number | null;
  rework: string | null;
  lead_ms: number | null;
  commits: number;
  promotion_ms: number | null;
}

interface DoraDirtyTable {
  org_id: string;
  day: number;
  mark: number;
}

type JudgementDatabase = Database & {
  dora_deployments: DoraDeploymentsTable;
  dora_dirty: DoraDirtyTable;
  dora_judged: { org_id: string; failure_window_ms: number };
  dora_marks: { id: number; last: number };
};

export type DeploymentRow = DoraDeploymentsTable;
export interface DirtyDay {
  day: number;
  mark: number;
}

const CHUNK = 200;

export class DoraJudgementRepository {
  private readonly db: Kysely<JudgementDatabase>;

  constructor(
    db: Kysely<Database>,
    // The ranges are read by store/dora-figures.ts; kept so the callers need not change.
    _readDb: Kysely<Database>,
    private readonly engine: Engine,
  ) {
    this.db = db as unknown as Kysely<JudgementDatabase>;
  }

  /** A new mark, larger than every mark given before (the same counter as the deletion trigger's). */
  private async nextMark(db: Kysely<JudgementDatabase>): Promise<number> {
    if (this.engine === 'postgres') {
      const { rows } = await sql<{ v: string }>`select nextval('dora_mark_seq') as v`.execute(db);
      return Number(rows[0]?.v);
    }
    const row = await db
      .updateTable('dora_marks')
      .set((eb) => ({ last: eb('last', '+', 1) }))
      .where('id', '=', 1)
      .returning('last')
      .executeTakeFirstOrThrow();
    return Number(row.last);
  }

  /** The newest mark given so far: a change after this moment gets a larger one. */
  async lastMark(): Promise<number> {
    if (this.engine === 'postgres') {
      const { rows } = await sql<{ v: string }>`
        select case when is_called then last_value else 0 end as v from dora_mark_seq`.execute(this.db);
      return Number(rows[0]?.v ?? 0);
    }
    const row = await this.db.selectFrom('dora_marks').select('last').where('id', '=', 1).executeTakeFirst();
    return Number(row?.last ?? 0);
  }

  /** Marks days of an organization as changed (inside the caller's transaction when `db` is one). */
  async mark(orgId: string, days: number[], db: Kysely<Database> = this.db as never): Promise<void> {
    if (days.length === 0) return;
    const trx = db as unknown as Kysely<JudgementDatabase>;
    const mark = await this.nextMark(trx);
    for (let i = 0; i < days.length; i += CHUNK) {
      await trx
        .insertInto('dora_dirty')
        .values(days.slice(i, i + CHUNK).map((day) => ({ org_id: orgId, day, mark })))
        .onConflict((oc) => oc.columns(['org_id', 'day']).doUpdateSet({ mark }))
        .execute();
    }
  }

  /** The changed days of an organization in [fromDay, toDay]. */
  async dirty(orgId: string, fromDay: number, toDay: number): Promise<DirtyDay[]> {
    const rows = await this.db
      .selectFrom('dora_dirty')
      .select(['day', 'mark'])
      .where('org_id', '=', orgId)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .orderBy('day')
      .execute();
    return rows.map((r) => ({ day: Number(r.day), mark: Number(r.mark) }));
  }

  /** Whether a day in [fromDay, toDay] changed after `mark`. */
  async changedAfter(orgId: string, mark: number, fromDay: number, toDay: number): Promise<boolean> {
    const row = await this.db
      .selectFrom('dora_dirty')
      .select('day')
      .where('org_id', '=', orgId)
      .where('day', '>=', fromDay)
      .where('day', '<=', toDay)
      .where('mark', '>', mark)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** Replaces the judged deployments of [from, to) with `rows`, in one transaction. */
  async replace(orgId: string, from: number, to: number, rows: DeploymentRow[]): Promise<void> {
    const write = async (trx: Kysely<JudgementDatabase>) => {
      await trx
        .deleteFrom('dora_deployments')
        .where('org_id', '=', orgId)
        .where('time', '>=', from)
        .where('time', '<', to)
        .execute();
      for (let i = 0; i < rows.length; i += CHUNK) {
        await trx
          .insertInto('dora_deployments')
          .values(rows.slice(i, i + CHUNK))
          .onConflict((oc) =>
            oc.columns(['org_id', 'event_source', 'event_id']).doUpdateSet((eb) => ({
              time: eb.ref('excluded.time'),
              subject: eb.ref('excluded.subject'),
              subject_lower: eb.ref('excluded.subject_lower'),
              source_lower: eb.ref('excluded.source_lower'),
              type: eb.ref('excluded.type'),
              version: eb.ref('excluded.version'),
              evidence: eb.ref('excluded.evidence'),
              failure: eb.ref('excluded.failure'),
              restore: eb.ref('excluded.restore'),
              restore_ms: eb.ref('excluded.restore_ms'),
              rework: eb.ref('excluded.rework'),
              lead_ms: eb.ref('excluded.lead_ms'),
              commits: eb.ref('excluded.commits'),
              promotion_ms: eb.ref('excluded.promotion_ms'),
            })),
          )
          .execute();
      }
    };
    await writeTransaction(this.db as never, this.engine)((trx) => write(trx as never));
  }

  /** Clears dirty days once judged, each only if its mark is still the one read before judging (a change meanwhile keeps it). */
  async clear(orgId: string, judged: DirtyDay[]): Promise<void> {
    for (const d of judged) {
      await this.db
        .deleteFrom('dora_dirty')
        .where('org_id', '=', orgId)
        .where('day', '=', d.day)
        .where('mark', '=', d.mark)
        .execute();
    }
  }

  /** The failure window the organization's rows were judged with (undefined before any). */
  async judgedWindow(orgId: string): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('dora_judged')
      .select('failure_window_ms')
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.failure_window_ms);
  }

  /** Records the window now in force and marks every day with a judged deployment, so each is judged again with it. */
  async rejudgeWithWindow(orgId: string, failureWindowMs: number): Promise<void> {
    const days = await this.db
      .selectFrom('dora_deployments')
      .select(sql<number>`time / 86400000`.as('day'))
      .distinct()
      .where('org_id', '=', orgId)
      .execute();
    await this.mark(
      orgId,
      days.map((d) => Number(d.day)),
    );
    await this.db
      .insertInto('dora_judged')
      .values({ org_id: orgId, failure_window_ms: failureWindowMs })
      .onConflict((oc) => oc.column('org_id').doUpdateSet({ failure_window_ms: failureWindowMs }))
      .execute();
  }
}
