/**
 * The per-value counts without scanning the timeline: one row per organization x field (`type`,
 * `source`, `subject`) x value (exact spelling) holding how many events carry it and the time of
 * the latest. `EventRepository.countBy` reads these rows (the MCP tools list_event_types,
 * list_event_sources and list_event_subjects, MCP completions, the organization overview, GET
 * promotion) where it grouped every event of the organization (3-4.6 s a call at 10,000,000 events).
 *
 * Kept as `grid_cells` (migration 024) is, in the same transaction as every write: inserts by the
 * event writer (event-write-ops.ts `valuesTouched`: one upsert per value a batch's inserted rows
 * carry, adding their number and moving the time only to a later one; an identity sent again
 * inserts no row and counts nothing); deletes by a trigger on `events` (DELETE
 * /api/v1/events/{id}, retention, an organization deleted): the count goes down, a row at zero
 * goes, and a deleted event at the row's latest time hands it to the newest remaining event of
 * that value, read newest first from `events_<field>_lower_time` (org_id, folded value, time, ...)
 * with the exact spelling checked, an index seek. Events without a subject count no subject.
 * SQLite: a row trigger; PostgreSQL: a statement trigger over the transition table of deleted rows.
 *
 * The backfill groups the stored events once per field.
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.js';

export const VALUE_FIELDS = ['type', 'source', 'subject'] as const;

/**
 * The time of the newest remaining event of organization `org` with `field` = `value` (folded:
 * `folded`): newest first on `events_<field>_lower_time`, stopping at the first exact spelling.
 */
const latestOf = (field: string, org: string, folded: string, value: string) => `(select e.time from events e
    where e.org_id = ${org} and e.${field}_lower = ${folded} and e.${field} = ${value}
    order by e.time desc limit 1)`;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('value_counts')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('field', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('count', bigint, (c) => c.notNull())
    .addColumn('last_time', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('value_counts_pk', ['org_id', 'field', 'value'])
    .execute();

  for (const field of VALUE_FIELDS) {
    await sql
      .raw(`insert into value_counts (org_id, field, value, count, last_time)
  select org_id, '${field}', ${field}, count(*), max(time) from events
  where ${field} is not null group by org_id, ${field}`)
      .execute(db);
  }

  const key = (v: string, d: string, field: string) =>
    `${v}.org_id = ${d}.org_id and ${v}.field = '${field}' and ${v}.value = ${d}.value`;
  if (engine === 'postgres') {
    const perField = VALUE_FIELDS.map((field) => {
      const deleted = `(select org_id, ${field} as value, min(${field}_lower) as folded, count(*) as n, max(time) as t
      from old_events where ${field} is not null group by org_id, ${field})`;
      return `  delete from value_counts v using ${deleted} d where ${key('v', 'd', field)} and v.count <= d.n;
  update value_counts v set count = v.count - d.n,
      last_time = case when v.last_time <= d.t then coalesce(${latestOf(field, 'd.org_id', 'd.folded', 'd.value')}, v.last_time) else v.last_time end
    from ${deleted} d where ${key('v', 'd', field)};`;
    }).join('\n');
    await sql
      .raw(`create function value_counts_deleted() returns trigger language plpgsql as $$
begin
${perField}
  return null;
end $$`)
      .execute(db);
    await sql
      .raw(`create trigger value_counts_deleted after delete on events
  referencing old table as old_events for each statement execute function value_counts_deleted()`)
      .execute(db);
  } else {
    const perField = VALUE_FIELDS.map((field) => {
      const row = `org_id = old.org_id and field = '${field}' and value = old.${field}`;
      return `  delete from value_counts where ${row} and count <= 1;
  update value_counts set count = count - 1,
      last_time = case when last_time <= old.time then coalesce(${latestOf(field, 'old.org_id', `old.${field}_lower`, `old.${field}`)}, last_time)
        else last_time end
    where ${row};`;
    }).join('\n');
    await sql
      .raw(`create trigger value_counts_deleted after delete on events
begin
${perField}
end`)
      .execute(db);
  }
}
