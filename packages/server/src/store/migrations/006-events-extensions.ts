/**
 * CloudEvents extension attributes, and filters that ignore case.
 *
 * - `extensions`: the event's extension attributes as a JSON object (null when none), rendered
 *   after the twelve fields of every answer.
 * - `correlationid`, `causationid`: copies of those two extensions as text, each with a partial
 *   index. They are how events get linked (a deploy to the incident it caused, the events of
 *   one change request), so looking them up must not scan; partial, because most events carry
 *   neither and an event without them then costs its insert nothing.
 * - `type_lower`, `source_lower`, `subject_lower`: the values folded by the server (JavaScript's
 *   Unicode toLowerCase, see event-rows.ts), so `production` finds `PRODUCTION` through an index
 *   range scan on both engines alike. Folded columns rather than expression indexes on lower():
 *   SQLite's lower() folds ASCII only and PostgreSQL's follows the database's locale, so what is
 *   indexed and what is searched would not fold the same way. The exact-case indexes of 001 are
 *   replaced (each index costs every insert); the exact type and subject ride at the end of the new
 *   ones, so the per-value counts of the MCP tools still read an index alone.
 * - `correlationid` / `causationid` values are at most 200 characters (core's extensions.ts), so
 *   their index entries stay far below PostgreSQL's limit.
 */
import { type Kysely, sql } from 'kysely';
import type { Engine } from '../engine.js';
import { foldCase } from '../fold-case.js';

const FIELDS = ['type', 'source', 'subject'] as const;

export async function up(db: Kysely<unknown>, engine: Engine): Promise<void> {
  for (const column of ['extensions', 'correlationid', 'causationid', ...FIELDS.map((f) => `${f}_lower`)]) {
    await db.schema.alterTable('events').addColumn(column, 'text').execute();
  }
  // ASCII in SQL (SQLite's lower() folds nothing else; "C" keeps PostgreSQL's to ASCII whatever
  // the locale), then the rows holding other characters in JavaScript, exactly as inserts fold.
  const lower = (f: string) =>
    engine === 'postgres' ? sql`lower(${sql.ref(f)} collate "C")` : sql`lower(${sql.ref(f)})`;
  await sql`update events set type_lower = ${lower('type')}, source_lower = ${lower('source')}, subject_lower = ${lower('subject')}`.execute(
    db,
  );
  const text = sql`type || source || coalesce(subject, '')`;
  const nonAscii =
    engine === 'postgres'
      ? sql`octet_length(${text}) <> char_length(${text})`
      : sql`length(cast(${text} as blob)) <> length(${text})`;
  const { rows } = await sql<{ seq: number; type: string; source: string; subject: string | null }>`
    select seq, type, source, subject from events where ${nonAscii}`.execute(db);
  for (const row of rows) {
    await sql`update events set type_lower = ${foldCase(row.type)}, source_lower = ${foldCase(row.source)},
      subject_lower = ${row.subject === null ? null : foldCase(row.subject)} where seq = ${row.seq}`.execute(
      db,
    );
  }

  for (const field of FIELDS) {
    await db.schema.dropIndex(`events_${field}_time`).execute();
    await db.schema
      .createIndex(`events_${field}_lower_time`)
      .on('events')
      // A source (500 characters, up to 2,000 bytes) twice would pass PostgreSQL's 2,704-byte
      // limit on an index entry: its exact value stays in the table.
      .columns(['org_id', `${field}_lower`, 'time', 'seq', ...(field === 'source' ? [] : [field])])
      .execute();
  }
  for (const link of ['correlationid', 'causationid']) {
    await db.schema
      .createIndex(`events_${link}`)
      .on('events')
      .columns(['org_id', link, 'time', 'seq'])
      .where(sql.ref(link), 'is not', null)
      .execute();
  }
}
