/**
 * Delivery metrics (DORA) without judging every deployment on each request: one row per judged
 * deployment (failed or not and why, lead time, promotion lead time, restore, rework), so a
 * range reads indexed rows; the days whose events changed since they were judged (`dora_dirty`,
 * one row per organization and UTC day, with a mark that grows on every change); the failure
 * window the rows were judged with. Deleting a deploy, rollback or incident event (retention,
 * DELETE /events/{id}, anything) marks its day by trigger, so every way of deleting is covered in
 * one place. See dora/judgements.ts.
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.js';

/** The folded types that may be deployments, rollbacks or incidents (a superset of domain/dora/events.ts isDoraType). */
const DORA_TYPE_SQL = `(t like '%deploy%' or t like '%release%' or t like '%hotfix%' or t like '%service.upgraded%'
  or t like '%rollback%' or t like '%rolled%back%' or t like '%incident%' or t like '%outage%')`;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  const bigint = engine === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('dora_deployments')
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
    .addColumn('event_source', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('time', bigint, (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('subject_lower', 'text', (c) => c.notNull())
    .addColumn('source_lower', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('version', 'text')
    // Null for a good deployment; else linked, rollback or window.
    .addColumn('evidence', 'text')
    // JSON {reason, reasons, revealedBy} of a failed deployment.
    .addColumn('failure', 'text')
    // JSON {startId, startTime, endId, endTime, how} of a restored failure.
    .addColumn('restore', 'text')
    .addColumn('restore_ms', bigint)
    .addColumn('rework', 'text')
    .addColumn('lead_ms', bigint)
    .addColumn('commits', 'integer', (c) => c.notNull())
    .addColumn('promotion_ms', bigint)
    .addPrimaryKeyConstraint('dora_deployments_pk', ['org_id', 'event_source', 'event_id'])
    .execute();
  await db.schema
    .createIndex('dora_deployments_range')
    .on('dora_deployments')
    .columns(['org_id', 'subject_lower', 'time'])
    .execute();
  await db.schema
    .createIndex('dora_deployments_time')
    .on('dora_deployments')
    .columns(['org_id', 'time'])
    .execute();
  // No foreign key: the trigger below runs while an organization's events are deleted with it.
  await db.schema
    .createTable('dora_dirty')
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('day', bigint, (c) => c.notNull())
    .addColumn('mark', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('dora_dirty_pk', ['org_id', 'day'])
    .execute();
  await db.schema
    .createTable('dora_judged')
    .addColumn('org_id', 'text', (c) => c.primaryKey().references('organizations.id').onDelete('cascade'))
    .addColumn('failure_window_ms', bigint, (c) => c.notNull())
    .execute();
  const day = `(old.time / 86400000)`;
  if (engine === 'postgres') {
    await sql.raw('create sequence dora_mark_seq').execute(db);
    await sql
      .raw(`create function dora_event_deleted() returns trigger language plpgsql as $$
begin
  insert into dora_dirty (org_id, day, mark) values (old.org_id, ${day}, nextval('dora_mark_seq'))
    on conflict (org_id, day) do update set mark = excluded.mark;
  return null;
end $$`)
      .execute(db);
    await sql
      .raw(`create trigger dora_event_deleted after delete on events for each row
  when (${DORA_TYPE_SQL.replaceAll('t like', 'old.type_lower like')}) execute function dora_event_deleted()`)
      .execute(db);
  } else {
    // SQLite has one writer at a time, so a counter row gives every mark a new, larger value.
    await sql.raw('create table dora_marks (id integer primary key, last integer not null)').execute(db);
    await sql.raw('insert into dora_marks (id, last) values (1, 0)').execute(db);
    await sql
      .raw(`create trigger dora_event_deleted after delete on events
  when ${DORA_TYPE_SQL.replaceAll('t like', 'old.type_lower like')}
begin
  update dora_marks set last = last + 1 where id = 1;
  insert into dora_dirty (org_id, day, mark) values (old.org_id, ${day}, (select last from dora_marks where id = 1))
    on conflict (org_id, day) do update set mark = excluded.mark;
end`)
      .execute(db);
  }
}
