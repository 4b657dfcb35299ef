/**
 * The reads behind a DORA answer, over the stored judgements (dora-judgements.ts) and the
 * covering indexes of migration 023, so an answer costs the same whatever the store's size:
 *
 * - `buckets`: per time bucket (the period before, each period of the series), the counts
 *   (deployments, failed, restored, rework, with lead time, with promotion lead time) and the
 *   values the medians and p90s are taken from (lead, promotion and restore milliseconds), in
 *   one statement: one aggregate per bucket, each an index range of `dora_deployments_figures`
 *   (no row read, no sort). The values come back as one comma-separated text per bucket and
 *   column (SQLite `group_concat`, PostgreSQL `string_agg`), sorted here: both engines hand the
 *   same numbers to the same order statistics (domain/dora/stats.ts), so the answers are equal.
 * - `page`: one page of a drill-down list, in the method's order (time, then event id, then
 *   source), after a keyset cursor: the keys of the page from `dora_deployments_lists` (in its
 *   order, so the scan stops after the page), then those rows by primary key.
 * - `count`: the length of a list over a range.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DoraList, DoraNumbers } from '../domain/dora/metrics.js';
import type { DeploymentRow } from './dora-judgements.js';
import type { Engine } from './engine.js';
import type { Database } from './schema.js';

/** Whose judged deployments count: the organization's, on these folded subjects, optionally of one folded source. */
export interface DoraScope {
  orgId: string;
  subjects: string[];
  source?: string;
}

/**
 * Which judged deployments each list holds. A failed deployment has `evidence` (and `failure`,
 * written together, dora/judgements.ts toRow); a restored one `restore_ms` (with `restore`).
 */
const LIST_FILTER: Record<DoraList, string | null> = {
  deploymentFrequency: null,
  leadTime: 'lead_ms is not null',
  'leadTime.unknown': 'lead_ms is null',
  promotionLeadTime: 'promotion_ms is not null',
  changeFailureRate: 'evidence is not null',
  timeToRestore: 'evidence is not null and restore_ms is not null',
  'timeToRestore.unrestored': 'evidence is not null and restore_ms is null',
  reworkRate: 'rework is not null',
};

/** Where a page starts: after this entry of the list's order. */
export interface ListKey {
  time: number;
  id: string;
  source: string;
}

/**
 * The numbers of a comma-separated text, sorted ascending. Read digit by digit (no string per
 * value: an answer at 10,000,000 events reads about 120,000 of them); a value written otherwise
 * (a fraction, an exponent) is read by Number.
 */
export function sortedValues(text: string | null): Float64Array {
  if (text === null || text === '') return new Float64Array(0);
  let count = 1;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 44) count++;
  const out = new Float64Array(count);
  let at = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf(',', start);
    if (end === -1) end = text.length;
    let i = start;
    const negative = text.charCodeAt(i) === 45;
    if (negative) i++;
    let value = 0;
    for (; i < end; i++) {
      const digit = text.charCodeAt(i) - 48;
      if (digit < 0 || digit > 9) break;
      value = value * 10 + digit;
    }
    out[at++] = i === end ? (negative ? -value : value) : Number(text.slice(start, end));
    start = end + 1;
  }
  return out.sort();
}

export class DoraFigureReads {
  private readonly db: Kysely<Database>;

  constructor(
    readDb: Kysely<Database>,
    private readonly engine: Engine,
  ) {
    this.db = readDb;
  }

  /** The table read through the named index (SQLite is told; PostgreSQL's planner chooses). */
  private table(index: 'dora_deployments_figures' | 'dora_deployments_lists'): RawBuilder<unknown> {
    return this.engine === 'sqlite'
      ? sql.raw(`dora_deployments indexed by ${index}`)
      : sql.raw('dora_deployments');
  }

  private values(column: string): RawBuilder<string | null> {
    return this.engine === 'sqlite'
      ? sql.raw(`group_concat(${column})`)
      : sql.raw(`string_agg((${column})::text, ',')`);
  }

  private scoped(scope: DoraScope): RawBuilder<unknown> {
    const subjects = sql.join(scope.subjects.map((s) => sql`${s}`));
    const source = scope.source === undefined ? sql`` : sql` and source_lower = ${scope.source}`;
    return sql`org_id = ${scope.orgId} and subject_lower in (${subjects})${source}`;
  }

  /** The numbers of each [start, end) bucket, in the order given. */
  async buckets(scope: DoraScope, bounds: [number, number][]): Promise<DoraNumbers[]> {
    const empty = (): DoraNumbers => ({
      count: 0,
      failed: 0,
      restored: 0,
      rework: 0,
      lead: new Float64Array(0),
      promotion: new Float64Array(0),
      restore: new Float64Array(0),
    });
    if (scope.subjects.length === 0 || bounds.length === 0) return bounds.map(empty);
    const table = this.table('dora_deployments_figures');
    const where = this.scoped(scope);
    const parts = bounds.map(
      ([start, end], i) => sql`select ${sql.lit(i)} as b, count(*) as n,
        count(case when evidence is not null then 1 end) as failed,
        count(case when evidence is not null and restore_ms is not null then 1 end) as restored,
        count(rework) as rework,
        ${this.values('lead_ms')} as lead,
        ${this.values('promotion_ms')} as promotion,
        ${this.values('case when evidence is not null then restore_ms end')} as restore
        from ${table} where ${where} and time >= ${start} and time < ${end}`,
    );
    const { rows } = await sql<{
      b: number | string;
      n: number | string;
      failed: number | string;
      restored: number | string;
      rework: number | string;
      lead: string | null;
      promotion: string | null;
      restore: string | null;
    }>`${sql.join(parts, sql` union all `)}`.execute(this.db);
    const out = bounds.map(empty);
    for (const r of rows)
      out[Number(r.b)] = {
        count: Number(r.n),
        failed: Number(r.failed),
        restored: Number(r.restored),
        rework: Number(r.rework),
        lead: sortedValues(r.lead),
        promotion: sortedValues(r.promotion),
        restore: sortedValues(r.restore),
      };
    return out;
  }

  /** Up to `limit` entries of a list over [from, to), after `after`, in the list's order. */
  async page(
    scope: DoraScope,
    list: DoraList,
    from: number,
    to: number,
    after: ListKey | undefined,
    limit: number,
  ): Promise<DeploymentRow[]> {
    if (scope.subjects.length === 0 || limit < 1) return [];
    const filter = LIST_FILTER[list];
    const keyset = after
      ? sql` and time >= ${after.time} and (time > ${after.time} or event_id > ${after.id}
          or (event_id = ${after.id} and event_source > ${after.source}))`
      : sql``;
    const { rows } = await sql<DeploymentRow>`select d.* from (
        select event_source, event_id, time from ${this.table('dora_deployments_lists')}
        where ${this.scoped(scope)} and time >= ${from} and time < ${to}
        ${filter === null ? sql`` : sql.raw(` and ${filter}`)}${keyset}
        order by time, event_id, event_source limit ${limit}
      ) k join dora_deployments d
        on d.org_id = ${scope.orgId} and d.event_source = k.event_source and d.event_id = k.event_id
      order by k.time, k.event_id, k.event_source`.execute(this.db);
    return rows;
  }

  /** How many entries a list has over [from, to). */
  async count(scope: DoraScope, list: DoraList, from: number, to: number): Promise<number> {
    if (scope.subjects.length === 0) return 0;
    const filter = LIST_FILTER[list];
    const { rows } = await sql<{ n: number | string }>`select count(*) as n
      from ${this.table('dora_deployments_figures')}
      where ${this.scoped(scope)} and time >= ${from} and time < ${to}
      ${filter === null ? sql`` : sql.raw(` and ${filter}`)}`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }
}
