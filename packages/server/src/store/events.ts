/**
 * The events repository: the only way to the events table (its inserts are carried out by
 * event-writer.ts and event-write-ops.ts). Every query is scoped by organization and relies on
 * the indexes of migrations 001, 005 and 006:
 * listing walks `events_time` (or an `events_<field>_lower_time` index for a type, source or
 * subject filter, `events_correlationid` / `events_causationid` for those) newest first,
 * keyset-paged on (time, seq), so a page costs the same at any depth.
 */
import type { NewEvent, Severity } from '@opstrails/core';
import { formatTime } from '@opstrails/core';
import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { distinctNames, type NameField } from './distinct-values.js';
import { type EventRow, type InsertOutcome, RENDERED_COLUMNS, type RenderedRow } from './event-rows.js';
import type { Transact } from './event-write-ops.js';
import { EventWriter } from './event-writer.js';
import { foldCase } from './fold-case.js';
import type { Database } from './schema.js';

export { type EventRow, type InsertOutcome, type RenderedRow, toStoredEvent } from './event-rows.js';

/** One cell of the environment grid (migration 024), kept by triggers on `events`. */
interface GridCellsTable {
  org_id: string;
  source: string;
  subject: string;
  latest_seq: number | null;
  latest_time: number | null;
  versioned_seq: number | null;
  versioned_time: number | null;
}

/** One value of a field with its count and latest time (migration 026), kept by the writer and a trigger on `events`. */
interface ValueCountsTable {
  org_id: string;
  field: 'type' | 'source' | 'subject';
  value: string;
  count: number;
  last_time: number;
}

export interface EventFilter {
  from?: number;
  to?: number;
  types?: string[];
  sources?: string[];
  subjects?: string[];
  severities?: Severity[];
  /** Free text, matched case-insensitively against type, source, subject, version, description. */
  search?: string;
  /** Exact values of the `correlationid` / `causationid` extension attributes. */
  correlationids?: string[];
  causationids?: string[];
}

/** What `summarize` counted: per value, most frequent first. */
export interface EventCounts {
  scanned: number;
  /** Every matching event was counted (no more than the cap matched). */
  complete: boolean;
  byType: { value: string; count: number }[];
  bySource: { value: string; count: number }[];
  bySubject: { value: string; count: number }[];
}

/** Position after the last event of a page: events strictly older than it come next. */
export interface Cursor {
  time: number;
  seq: number;
}

/** Rows fetched by row number per statement for the grid: two per cell, far below both engines' parameter limits. */
const GRID_ROWS_PER_LOOKUP = 1_000;

/**
 * Rows per retention delete statement. On SQLite a statement holds the only writer and the event
 * loop while it runs: 500 rows with their index entries take some 10-40 ms (bench/RESULTS.md).
 */
const DELETE_BATCH = 500;

/** Escapes LIKE wildcards so a search for "50%" finds "50%", not everything. */
function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export class EventRepository {
  private readonly writer: EventWriter;

  /**
   * `transact` is the engine's write transaction for inserts (see event-write-ops.ts); `reads`
   * runs the reads that can be slow (a whole range, a grouping, a free-text scan), on SQLite off
   * the event loop (store.ts `readDb`).
   */
  constructor(
    private readonly db: Kysely<Database>,
    transact: Transact,
    private readonly reads: Kysely<Database> = db,
  ) {
    this.writer = new EventWriter(transact);
  }

  /**
   * Stores events; events whose source + id is already stored (or repeated inside the batch)
   * come back as the stored event with `created: false`. Answers in input order, after commit.
   * Concurrent calls share one transaction (see event-writer.ts).
   */
  insert(orgId: string, events: NewEvent[], receivedAt: number): Promise<InsertOutcome[]> {
    return this.writer.write(orgId, events, receivedAt);
  }

  /** One page, newest first. Asks for one row more than `limit` to know whether a next page exists. */
  async list(
    orgId: string,
    filter: EventFilter,
    limit: number,
    after?: Cursor,
  ): Promise<{ rows: RenderedRow[]; next: Cursor | null }> {
    let q = this.reads
      .selectFrom('events')
      .select(RENDERED_COLUMNS)
      .where('org_id', '=', orgId)
      .where((eb) => this.filterExpression(eb, filter));
    if (after) {
      q = q.where((eb) =>
        eb.or([
          eb('time', '<', after.time),
          eb.and([eb('time', '=', after.time), eb('seq', '<', after.seq)]),
        ]),
      );
    }
    const rows = await q
      .orderBy('time', 'desc')
      .orderBy('seq', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const next = rows.length > limit && last ? { time: Number(last.time), seq: Number(last.seq) } : null;
    return { rows: page, next };
  }

  /** The WHERE clause of a filter; shared with the log reader (event-log.ts). */
  filterExpression(eb: ExpressionBuilder<Database, 'events'>, f: EventFilter) {
    const parts = [];
    if (f.from !== undefined) parts.push(eb('time', '>=', f.from));
    if (f.to !== undefined) parts.push(eb('time', '<=', f.to));
    // Case-insensitive: the folded columns and their indexes (migration 006).
    if (f.types?.length) parts.push(eb('type_lower', 'in', f.types.map(foldCase)));
    if (f.sources?.length) parts.push(eb('source_lower', 'in', f.sources.map(foldCase)));
    if (f.subjects?.length) parts.push(eb('subject_lower', 'in', f.subjects.map(foldCase)));
    if (f.correlationids?.length) parts.push(eb('correlationid', 'in', f.correlationids));
    if (f.causationids?.length) parts.push(eb('causationid', 'in', f.causationids));
    if (f.severities?.length) parts.push(eb('severity', 'in', f.severities));
    if (f.search) {
      const pattern = likePattern(f.search);
      parts.push(sql<boolean>`${sql.ref('search_text')} like ${pattern} escape '\\'`);
    }
    return eb.and(parts);
  }

  /** Every event stored under this id; more than one when several sources used the same id. */
  async findById(orgId: string, id: string, source?: string): Promise<EventRow[]> {
    let q = this.reads.selectFrom('events').selectAll().where('org_id', '=', orgId).where('id', '=', id);
    if (source !== undefined) q = q.where('source', '=', source);
    return q.orderBy('seq').limit(20).execute();
  }

  /**
   * Events oldest first, fetched in keyset chunks so memory stays constant however many match.
   * Used by export; new events arriving meanwhile are included up to the moment each chunk is read.
   */
  async *streamAscending(orgId: string, filter: EventFilter, chunkSize = 1_000): AsyncGenerator<RenderedRow> {
    let after: Cursor | null = null;
    for (;;) {
      let q = this.reads
        .selectFrom('events')
        .select(RENDERED_COLUMNS)
        .where('org_id', '=', orgId)
        .where((eb) => this.filterExpression(eb, filter));
      if (after) {
        const a: Cursor = after;
        q = q.where((eb) =>
          eb.or([eb('time', '>', a.time), eb.and([eb('time', '=', a.time), eb('seq', '>', a.seq)])]),
        );
      }
      const rows = await q.orderBy('time', 'asc').orderBy('seq', 'asc').limit(chunkSize).execute();
      yield* rows;
      const last = rows[rows.length - 1];
      if (rows.length < chunkSize || !last) return;
      after = { time: Number(last.time), seq: Number(last.seq) };
    }
  }

  /**
   * Distinct values of one column with how often and how recently each was seen, most frequent
   * first, ties by value. Read from `value_counts` (migration 026: one row per value, kept by the
   * event writer and a trigger on deletes): the organization's values, not its events.
   */
  async countBy(
    orgId: string,
    column: 'type' | 'source' | 'subject',
  ): Promise<{ value: string; count: number; lastSeen: string }[]> {
    const rows = await this.reads
      .withTables<{ value_counts: ValueCountsTable }>()
      .selectFrom('value_counts')
      .select(['value', 'count', 'last_time'])
      .where('org_id', '=', orgId)
      .where('field', '=', column)
      .orderBy('count', 'desc')
      // Ties in a stable order, whichever plan (and connection) answers.
      .orderBy('value')
      .execute();
    return rows.map((r) => ({
      value: r.value,
      count: Number(r.count),
      lastSeen: formatTime(Number(r.last_time)),
    }));
  }

  /** Counts per value of one column among the events matching `filter` (a summary of a range), most frequent first. */
  async countMatching(
    orgId: string,
    column: 'type' | 'source' | 'subject' | 'severity',
    filter: EventFilter,
  ): Promise<{ value: string; count: number }[]> {
    const rows = await this.reads
      .selectFrom('events')
      .select([column, (eb) => eb.fn.countAll<number>().as('count')])
      .where('org_id', '=', orgId)
      .where((eb) => this.filterExpression(eb, filter))
      .where(column, 'is not', null)
      .groupBy(column)
      .orderBy('count', 'desc')
      .orderBy(column)
      .execute();
    return rows.map((r) => ({ value: String(r[column]), count: Number(r.count) }));
  }

  /** Every distinct type, source or subject with one stored spelling, by a loose index scan (distinct-values.ts). */
  names(orgId: string, field: NameField): Promise<{ folded: string; name: string }[]> {
    return distinctNames(this.reads, orgId, field);
  }

  /**
   * Counts by type, source and subject of the newest `cap` events matching `filter` (one read of
   * three columns, bounded however wide the filter): a summary of what a page leaves out.
   * `complete` says whether every matching event was counted.
   */
  async summarize(orgId: string, filter: EventFilter, cap: number): Promise<EventCounts> {
    const rows = await this.reads
      .selectFrom('events')
      .select(['type', 'source', 'subject'])
      .where('org_id', '=', orgId)
      .where((eb) => this.filterExpression(eb, filter))
      .orderBy('time', 'desc')
      .orderBy('seq', 'desc')
      .limit(cap + 1)
      .execute();
    const complete = rows.length <= cap;
    rows.length = Math.min(rows.length, cap);
    const tally = (values: (string | null)[]) => {
      const counts = new Map<string, number>();
      for (const v of values) if (v !== null) counts.set(v, (counts.get(v) ?? 0) + 1);
      return [...counts]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : 1));
    };
    return {
      scanned: rows.length,
      complete,
      byType: tally(rows.map((r) => r.type)),
      bySource: tally(rows.map((r) => r.source)),
      bySubject: tally(rows.map((r) => r.subject)),
    };
  }

  /**
   * The source x subject cells with an event since `from` (default: ever): per cell the latest
   * event, and the latest event carrying a version (which may be older than `from`), ordered by
   * source and subject. Read from `grid_cells` (migration 024: one row per cell, kept by triggers
   * on every insert and delete), then the rows by row number, up to 1,000 per statement: a grid
   * costs its cells, not the events behind them. Events without a subject have no cell.
   */
  async gridCells(orgId: string, from = 0): Promise<{ latest: EventRow[]; versioned: EventRow[] }> {
    const pairs = await this.reads
      .withTables<{ grid_cells: GridCellsTable }>()
      .selectFrom('grid_cells')
      .select(['latest_seq as latest', 'versioned_seq as versioned'])
      .where('org_id', '=', orgId)
      .where('latest_time', '>=', from)
      .orderBy('source')
      .orderBy('subject')
      .execute();
    const seqs = [...new Set(pairs.flatMap((p) => [p.latest, p.versioned]).filter((seq) => seq !== null))];
    const rows = new Map<number, EventRow>();
    for (let i = 0; i < seqs.length; i += GRID_ROWS_PER_LOOKUP) {
      // By row number alone, so no planner can prefer an index led by org_id; the cells are
      // the organization's, and the check below keeps it so.
      const chunk = await this.reads
        .selectFrom('events')
        .selectAll()
        .where('seq', 'in', seqs.slice(i, i + GRID_ROWS_PER_LOOKUP))
        .execute();
      for (const row of chunk) if (row.org_id === orgId) rows.set(Number(row.seq), row);
    }
    const rowOf = (seq: number | null) => (seq === null ? [] : (rows.get(Number(seq)) ?? []));
    return {
      latest: pairs.flatMap((p) => rowOf(p.latest)),
      versioned: pairs.flatMap((p) => rowOf(p.versioned)),
    };
  }

  /**
   * Events carrying `version` (optionally from one source, in any case), oldest first, at most `limit`.
   * Relies on the `events_version_source` index (org_id, version, source, time, …) (migration 025).
   */
  async byVersion(
    orgId: string,
    version: string,
    source: string | undefined,
    limit: number,
  ): Promise<EventRow[]> {
    let q = this.reads
      .selectFrom('events')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('version', '=', version);
    if (source !== undefined) q = q.where('source_lower', '=', foldCase(source));
    return q.orderBy('time', 'asc').orderBy('seq', 'asc').limit(limit).execute();
  }

  /**
   * Where the given sources deployed the given versions between `from` and `to`: source,
   * subject, type, version and time only (no data), for the staging check of `what_changed`.
   * Only deploy-like types come back (a superset of domain/environments.ts `isDeployType`: the
   * caller still applies it). Answered from the covering index `events_version_source`
   * (migration 025) alone, one range per (version, source) pair: at 10,000,000 events of the
   * bench a version's fortnight holds some 350 entries over ten sources, of which a pair's 35
   * are read; the caller keeps the time range short.
   */
  async versionHistory(
    orgId: string,
    changes: { source: string; version: string }[],
    from: number,
    to: number,
  ): Promise<
    { source: string; subject: string | null; type: string; version: string | null; time: number }[]
  > {
    if (changes.length === 0) return [];
    const type = sql`lower(${sql.ref('type')})`;
    const rows = await this.reads
      .selectFrom('events')
      .select(['source', 'subject', 'type', 'version', 'time'])
      .where('org_id', '=', orgId)
      .where(
        sql<boolean>`(version, source) in (values ${sql.join(changes.map((c) => sql`(${c.version}, ${c.source})`))})`,
      )
      .where('time', '>=', from)
      .where('time', '<=', to)
      .where(sql<boolean>`(${type} like '%deploy%' or ${type} in ('release', 'rollback'))`)
      .execute();
    return rows.map((r) => ({ ...r, time: Number(r.time) }));
  }

  /**
   * Deletes events older than `beforeMs` (retention), oldest first, `batch` rows per statement,
   * letting other work run between statements: one statement over months of events would hold
   * SQLite's only writer (and with better-sqlite3 the event loop) for seconds, and make one
   * long PostgreSQL transaction. Each batch is found from where the last one ended, so the index
   * entries of rows already deleted (PostgreSQL keeps them until vacuum) are not walked again.
   * Returns how many were removed.
   */
  async deleteOlderThan(orgId: string, beforeMs: number, batch = DELETE_BATCH): Promise<number> {
    let deleted = 0;
    let from: number | undefined;
    for (;;) {
      let q = this.db
        .selectFrom('events')
        .select(['seq', 'time'])
        .where('org_id', '=', orgId)
        .where('time', '<', beforeMs);
      if (from !== undefined) q = q.where('time', '>=', from);
      const rows = await q.orderBy('time').limit(batch).execute();
      const last = rows[rows.length - 1];
      if (!last) return deleted;
      const result = await this.db
        .deleteFrom('events')
        .where(
          'seq',
          'in',
          rows.map((r) => r.seq),
        )
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
      if (rows.length < batch) return deleted;
      from = Number(last.time);
      // Two turns: the first lets the requests that arrived during the statement be read, the
      // second lets the inserts they queued (the event writer starts on setImmediate) commit
      // before the next batch takes the connection.
      for (let turn = 0; turn < 2; turn++) await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
