/**
 * Deleting one event sent by mistake, with what was derived from it: its impact verdict and
 * its guardrail violations, so no page or tool later points at an event that is gone. The log
 * positions of other events do not move (a gap in the log is skipped like any other), and the
 * usage counters keep counting it: the quota counts what was sent.
 */
import type { Kysely } from 'kysely';
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
