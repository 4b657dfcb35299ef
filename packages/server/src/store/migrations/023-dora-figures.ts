/**
 * DORA answers from indexes alone (store/dora-figures.ts): two covering indexes of the stored
 * judgements replace the two of migration 021 (each starts with the columns of one of them).
 * `dora_deployments_figures` (organization, subject, time, then the columns the figures count)
 * serves the counts and the values of the medians of a range, subject by subject, without
 * reading a row; `dora_deployments_lists` (organization, time, event id, source, then the same
 * columns) serves each drill-down list in its order, a page at a time: a page stops after its
 * last entry, whatever the size of the range, and only the entries of the page are read from
 * the table. Deleting a range of judgements (dora-judgements.ts replace) uses the latter.
 */
import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

/** The columns the figures and the list filters read, after the leading ones. */
const JUDGED = ['source_lower', 'evidence', 'restore_ms', 'lead_ms', 'promotion_ms', 'rework'];

export async function up(db: Kysely<unknown>, _engine: Engine): Promise<void> {
  await db.schema
    .createIndex('dora_deployments_figures')
    .on('dora_deployments')
    .columns(['org_id', 'subject_lower', 'time', ...JUDGED])
    .execute();
  await db.schema
    .createIndex('dora_deployments_lists')
    .on('dora_deployments')
    .columns(['org_id', 'time', 'event_id', 'event_source', 'subject_lower', ...JUDGED])
    .execute();
  await db.schema.dropIndex('dora_deployments_range').execute();
  await db.schema.dropIndex('dora_deployments_time').execute();
}
