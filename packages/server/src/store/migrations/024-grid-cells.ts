/**
 * The environment grid without scanning the timeline (issue 17): one row per organization x
 * source x subject (exact spellings, as the grid shows them) holding the row number and time of
 * its latest event and of its latest event carrying a version. The grid (GET /api/v1/grid, the
 * console, the MCP tool get_environment_grid) reads these rows, a hundred where it grouped
 * millions of events (bench/RESULTS.md, `mcp-10000000`).
 *
 * Kept in the same transaction as every write: inserts by the event writer (event-write-ops.ts
 * `cellsTouched`: one upsert per cell a batch touches, moving a cell only to a later event, by
 * time then row number, so an event sent out of order leaves it alone; every insert goes through
 * it: ingest, import, a consumer's batch); deletes by a trigger on `events`, so every way out is
 * covered in one place (DELETE /api/v1/events/{id}, retention, an organization deleted): a
 * deleted event that was a cell's latest (or latest versioned) hands the cell to the next one,
 * read newest first from `events_subject_lower_time` below the deleted event's time; a cell with
 * no event left goes. Events without a subject have no cell. No foreign key to the organization:
 * its events are deleted with it, and the trigger empties its cells as they go. SQLite: a row
 * trigger; PostgreSQL: a statement trigger over the transition table of deleted rows.
 *
 * The backfill groups the stored events once (10,000,000 events: see bench/RESULTS.md).
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.js';

/** The cell's newest remaining event (optionally with a version) at or before the deleted one `o`. */
const nextLatest = (o: string, versioned: boolean) => `(select e.seq, e.time from events e
    where e.org_id = ${o}.org_id and e.subject_lower = ${o}.subject_lower and e.time <= ${o}.time
      and e.source = ${o}.source and e.subject = ${o}.subject${versioned ? ' and e.version is not null' : ''}
    order by e.time desc, e.seq desc limit 1)`;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('grid_cells')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    // Null only inside a delete trigger, between finding the cell empty and removing it.
    .addColumn('latest_seq', bigint)
    .addColumn('latest_time', bigint)
    .addColumn('versioned_seq', bigint)
    .addColumn('versioned_time', bigint)
    .addPrimaryKeyConstraint('grid_cells_pk', ['org_id', 'source', 'subject'])
    .execute();

  // Backfill: the latest times per cell in one grouped pass (over `events_version_cover` alone on
  // SQLite), then the row number at that time (the largest, as the grid orders ties) by a look-up
  // of that instant on `events_time`.
  const seqAt = (time: string, versioned: boolean) => `(select max(e.seq) from events e
      where e.org_id = c.org_id and e.time = ${time}
        and e.source = c.source and e.subject = c.subject${versioned ? ' and e.version is not null' : ''})`;
  await sql
    .raw(`insert into grid_cells (org_id, source, subject, latest_seq, latest_time, versioned_seq, versioned_time)
  select c.org_id, c.source, c.subject, ${seqAt('c.t', false)}, c.t,
    case when c.vt is null then null else ${seqAt('c.vt', true)} end, c.vt
  from (select org_id, source, subject, max(time) as t, max(case when version is not null then time end) as vt
        from events where subject is not null group by org_id, source, subject) c`)
    .execute(db);

  const key = (g: string, o: string) =>
    `${g}.org_id = ${o}.org_id and ${g}.source = ${o}.source and ${g}.subject = ${o}.subject`;
  if (engine === 'postgres') {
    await sql
      .raw(`create function grid_cells_deleted() returns trigger language plpgsql as $$
begin
  update grid_cells g set (latest_seq, latest_time) = ${nextLatest('o', false)}
    from old_events o where ${key('g', 'o')} and g.latest_seq = o.seq;
  update grid_cells g set (versioned_seq, versioned_time) = ${nextLatest('o', true)}
    from old_events o where ${key('g', 'o')} and g.versioned_seq = o.seq;
  delete from grid_cells g using old_events o where ${key('g', 'o')} and g.latest_seq is null;
  return null;
end $$`)
      .execute(db);
    await sql
      .raw(`create trigger grid_cells_deleted after delete on events
  referencing old table as old_events for each statement execute function grid_cells_deleted()`)
      .execute(db);
  } else {
    // Row triggers run as each row goes: a cell handed to an event the same statement deletes
    // later is handed on again then.
    const cell = `org_id = old.org_id and source = old.source and subject = old.subject`;
    await sql
      .raw(`create trigger grid_cells_deleted after delete on events when old.subject is not null
begin
  update grid_cells set (latest_seq, latest_time) = ${nextLatest('old', false)}
    where ${cell} and latest_seq = old.seq;
  update grid_cells set (versioned_seq, versioned_time) = ${nextLatest('old', true)}
    where ${cell} and versioned_seq = old.seq;
  delete from grid_cells where ${cell} and latest_seq is null;
end`)
      .execute(db);
  }
}
