/**
 * Deleting one event sent by mistake, with what was derived from it: its impact verdict and
 * its guardrail violations, so no page or tool later points at an event that is gone. The log
 * positions of other events do not move (a gap in the log is skipped like any other), and the
 * usage counters keep counting it: the quota counts what was sent. Retention deletes what was
 * derived from the events it deletes the same way (deleteDerivedBefore).
 */
import type { Kysely } from 'kysely';
import type { DoraDeploymentsTable } from './dora-judgements.js';
import type { GuardrailViolationsTable } from './guardrail-tables.js';
import type { ImpactVerdictsTable } from './impact-verdicts.js';
import type { Database } from './schema.js';

type DerivedTables = {
  impact_verdicts: ImpactVerdictsTable;
  guardrail_violations: GuardrailViolationsTable;
};

export interface DeletedEvent {
  id: string;
  source: string;
  type: string;
  subject: string | null;
}

/** Deletes the event (`orgId`, `id`, `source`) and its derived rows; null when there is none. */
export async function deleteEvent(
  db: Kysely<Database>,
  orgId: string,
  id: string,
  source: string,
): Promise<DeletedEvent | null> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .deleteFrom('events')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('source', '=', source)
      .returning(['id', 'source', 'type', 'subject'])
      .executeTakeFirst();
    if (!row) return null;
    const derived = trx.withTables<DerivedTables>();
    for (const table of ['impact_verdicts', 'guardrail_violations'] as const) {
      await derived
        .deleteFrom(table)
        .where('org_id', '=', orgId)
        .where('event_id', '=', id)
        .where('event_source', '=', source)
        .execute();
    }
    return row;
  });
}

const DAY_MS = 86_400_000;

type RetainedTables = {
  impact_verdicts: ImpactVerdictsTable;
  dora_deployments: DoraDeploymentsTable;
  dora_dirty: { org_id: string; day: number; mark: number };
};

/**
 * Retention's part after the organization's events older than `beforeMs` are gone
 * (EventRepository.deleteOlderThan): their impact verdicts and judged DORA deployments, by the
 * event's time, and the DORA days marked changed (by the deletion trigger, migration 021) that lie
 * wholly before `beforeMs`, where no event is left to judge. Both tables hold one row per
 * deployment-like event, a small share of the events, so one statement each stays short.
 * Guardrail violations are pruned by their repository (guardrails.ts `pruneViolations`).
 * Answers how many verdicts and deployments went.
 */
export async function deleteDerivedBefore(
  db: Kysely<Database>,
  orgId: string,
  beforeMs: number,
): Promise<{ impactVerdicts: number; doraDeployments: number }> {
  const derived = db.withTables<RetainedTables>();
  const verdicts = await derived
    .deleteFrom('impact_verdicts')
    .where('org_id', '=', orgId)
    .where('event_time', '<', beforeMs)
    .executeTakeFirst();
  const deployments = await derived
    .deleteFrom('dora_deployments')
    .where('org_id', '=', orgId)
    .where('time', '<', beforeMs)
    .executeTakeFirst();
  await derived
    .deleteFrom('dora_dirty')
    .where('org_id', '=', orgId)
    .where('day', '<', Math.floor(beforeMs / DAY_MS))
    .execute();
  return {
    impactVerdicts: Number(verdicts.numDeletedRows),
    doraDeployments: Number(deployments.numDeletedRows),
  };
}

/**
 * The DORA days an organization's deleted events marked changed: `dora_dirty` has no foreign key
 * (its trigger runs while the organization's events are deleted with it), so they are deleted
 * after the events, in the caller's transaction.
 */
export async function deleteDoraMarks(db: Kysely<Database>, orgId: string): Promise<void> {
  await db.withTables<RetainedTables>().deleteFrom('dora_dirty').where('org_id', '=', orgId).execute();
}
