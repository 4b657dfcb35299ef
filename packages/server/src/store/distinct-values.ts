/**
 * The distinct types, sources or subjects of an organization by a loose index scan: one probe of
 * `events_<field>_lower_time` per distinct value, however many events (10,000,000 events over 10
 * subjects cost 11 probes). Shared by the delivery metrics (dora-queries.ts) and the MCP tools'
 * name patterns and near-miss answers.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export type NameField = 'type' | 'source' | 'subject';
export type FoldedColumn = `${NameField}_lower`;

/**
 * The loose index scan: `t(v)` walks the column's index from one value to the next. The first
 * probe bounds the column too (`>= ''`: every text; min() skips nulls anyway), so it is a range
 * of the same index as the next ones: with `org_id` alone, SQLite may take any index led by
 * org_id that has no statistics yet (events_version_source after migration 025) and walk every
 * event of the organization through it (minutes at 10,000,000 events).
 */
const distinct = (orgId: string, col: ReturnType<typeof sql.ref>) => sql`
  with recursive t(v) as (
    select (select min(${col}) from events where org_id = ${orgId} and ${col} >= '')
    union all
    select (select min(${col}) from events where org_id = ${orgId} and ${col} > t.v) from t where t.v is not null
  )`;

/** Every distinct folded value of the column, in order. */
export async function distinctFolded(
  db: Kysely<Database>,
  orgId: string,
  column: FoldedColumn,
): Promise<string[]> {
  const col = sql.ref(column);
  const { rows } = await sql<{ v: string | null }>`
    ${distinct(orgId, col)}
    select v from t where v is not null`.execute(db);
  return rows.map((r) => r.v as string);
}

/**
 * Every distinct value of the field with one stored spelling of it (answers name values as they
 * were sent), in one statement: the spelling is one more index probe per value.
 */
export async function distinctNames(
  db: Kysely<Database>,
  orgId: string,
  field: NameField,
): Promise<{ folded: string; name: string }[]> {
  const col = sql.ref(`${field}_lower`);
  const exact = sql.ref(field);
  const { rows } = await sql<{ v: string | null; name: string | null }>`
    ${distinct(orgId, col)}
    select v, (select ${exact} from events where org_id = ${orgId} and ${col} = t.v limit 1) as name
    from t where v is not null`.execute(db);
  return rows.map((r) => ({ folded: r.v as string, name: r.name ?? (r.v as string) }));
}
