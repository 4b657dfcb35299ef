/**
 * The three storage operations of a group commit, and a transaction to run them in, per engine.
 * PostgreSQL goes through Kysely. SQLite takes a fast path: cached prepared statements on the
 * better-sqlite3 handle, run while holding Kysely's connection so no other query interleaves;
 * on the ingest path Kysely's per-query building cost more than SQLite's insert itself.
 */
import { usagePeriods } from '@opstrails/core';
import type SQLite from 'better-sqlite3';
import { type Insertable, type Kysely, sql } from 'kysely';
import type { EventRow } from './event-rows.js';
import type { Database, EventsTable } from './schema.js';
import { UsageRepository } from './usage.js';

export interface Identity {
  source: string;
  id: string;
}

export interface WriteOps {
  /** Inserts rows, skipping identities already stored; answers the rows it inserted. */
  insert(rows: Insertable<EventsTable>[]): Promise<{ seq: number; source: string; id: string }[]>;
  /** The stored rows of these identities. */
  findExisting(orgId: string, identities: Identity[]): Promise<EventRow[]>;
  addUsage(orgId: string, n: number, at: number): Promise<void>;
}

/** Runs `work` in one transaction: all of it commits, or none. */
export type Transact = <T>(work: (ops: WriteOps) => Promise<T>) => Promise<T>;

/** Rows per INSERT statement: 20 parameters each stays far below PostgreSQL's limit of 65,535. */
const ROWS_PER_STATEMENT = 1_000;
/** Identities per look-up of already stored events: two parameters each, far below both engines' limits. */
const IDENTITIES_PER_LOOKUP = 300;

/**
 * The grid's cells (`grid_cells`, migration 024) moved by inserted events: per organization x
 * source x subject the latest inserted event and the latest with a version, by (time, seq). The
 * writer upserts one row per cell touched, in the insert's transaction, so a batch of 1,000
 * events over a few cells costs a few statements (a trigger per row cost SQLite a quarter of its
 * insert rate); the upsert keeps a stored cell when it is later (an event sent out of order).
 * Deletes are followed by a trigger (migration 024).
 */
export interface CellTouch {
  org_id: string;
  source: string;
  subject: string;
  latest_seq: number;
  latest_time: number;
  versioned_seq: number | null;
  versioned_time: number | null;
}

type Placed = Pick<Insertable<EventsTable>, 'org_id' | 'type' | 'source' | 'subject' | 'time' | 'version'> & {
  seq: number;
};

/** The cells an inserted batch touches, in key order (two writers then lock shared cells in the same order). */
export function cellsTouched(placed: Placed[]): CellTouch[] {
  const cells = new Map<string, CellTouch>();
  const later = (time: number, seq: number, t: number | null, q: number | null) =>
    t === null || q === null || time > t || (time === t && seq > q);
  for (const e of placed) {
    if (e.subject === null || e.subject === undefined) continue;
    const key = `${e.org_id}\u0000${e.source}\u0000${e.subject}`;
    const time = Number(e.time);
    let cell = cells.get(key);
    if (!cell) {
      cell = {
        org_id: e.org_id,
        source: e.source,
        subject: e.subject,
        latest_seq: e.seq,
        latest_time: time,
        versioned_seq: null,
        versioned_time: null,
      };
      cells.set(key, cell);
    } else if (later(time, e.seq, cell.latest_time, cell.latest_seq)) {
      cell.latest_seq = e.seq;
      cell.latest_time = time;
    }
    if (
      e.version !== null &&
      e.version !== undefined &&
      later(time, e.seq, cell.versioned_time, cell.versioned_seq)
    ) {
      cell.versioned_seq = e.seq;
      cell.versioned_time = time;
    }
  }
  return [...cells.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, cell]) => cell);
}

/**
 * The per-value counts (`value_counts`, migration 026) moved by inserted events: per organization
 * x field (type, source, subject) x value the number of inserted events and the latest time among
 * them, added to the stored row by one upsert each, in the insert's transaction. Only inserted rows
 * count: an identity sent again is not inserted. Deletes are followed by a trigger (migration 026).
 */
export interface ValueTouch {
  org_id: string;
  field: 'type' | 'source' | 'subject';
  value: string;
  count: number;
  last_time: number;
}

/** The values an inserted batch carries, in key order (two writers then lock shared rows in the same order). */
export function valuesTouched(
  placed: Pick<Placed, 'org_id' | 'type' | 'source' | 'subject' | 'time'>[],
): ValueTouch[] {
  const values = new Map<string, ValueTouch>();
  for (const e of placed) {
    const time = Number(e.time);
    for (const field of ['type', 'source', 'subject'] as const) {
      const value = e[field];
      if (value === null || value === undefined) continue;
      const key = `${e.org_id}\u0000${field}\u0000${value}`;
      const touch = values.get(key);
      if (!touch) values.set(key, { org_id: e.org_id, field, value, count: 1, last_time: time });
      else {
        touch.count += 1;
        if (time > touch.last_time) touch.last_time = time;
      }
    }
  }
  return [...values.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, touch]) => touch);
}

const VALUE_COLUMNS = 'org_id, field, value, count, last_time';
/** The conflict clause of the counts' upsert (engine-neutral: a consumer's batch runs it on SQLite too). */
const VALUE_UPSERT = `on conflict (org_id, field, value) do update set
  count = value_counts.count + excluded.count,
  last_time = case when excluded.last_time > value_counts.last_time then excluded.last_time else value_counts.last_time end`;

const LATER = (c: 'latest' | 'versioned') =>
  `(excluded.${c}_seq is not null and (grid_cells.${c}_time is null or excluded.${c}_time > grid_cells.${c}_time
    or (excluded.${c}_time = grid_cells.${c}_time and excluded.${c}_seq > grid_cells.${c}_seq)))`;
const CELL_COLUMNS = 'org_id, source, subject, latest_seq, latest_time, versioned_seq, versioned_time';
/** The conflict clause of the cells' upsert: each half of a cell moves only to a later event. */
const CELL_UPSERT = `on conflict (org_id, source, subject) do update set
  latest_seq = case when ${LATER('latest')} then excluded.latest_seq else grid_cells.latest_seq end,
  latest_time = case when ${LATER('latest')} then excluded.latest_time else grid_cells.latest_time end,
  versioned_seq = case when ${LATER('versioned')} then excluded.versioned_seq else grid_cells.versioned_seq end,
  versioned_time = case when ${LATER('versioned')} then excluded.versioned_time else grid_cells.versioned_time end`;
/** Cells per upsert statement on PostgreSQL: 7 parameters each. */
const CELLS_PER_STATEMENT = 1_000;

function kyselyOps(trx: Kysely<Database>): WriteOps {
  return {
    async insert(rows) {
      const inserted: { seq: number; source: string; id: string }[] = [];
      for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
        const chunk = await trx
          .insertInto('events')
          .values(rows.slice(i, i + ROWS_PER_STATEMENT))
          .onConflict((oc) => oc.columns(['org_id', 'source', 'id']).doNothing())
          .returning(['seq', 'source', 'id'])
          .execute();
        for (const row of chunk) inserted.push({ seq: Number(row.seq), source: row.source, id: row.id });
      }
      const byIdentity = new Map(rows.map((row) => [`${row.source}\u0000${row.id}`, row]));
      const placed = inserted.flatMap((p) => {
        const row = byIdentity.get(`${p.source}\u0000${p.id}`);
        return row ? [{ ...row, seq: p.seq }] : [];
      });
      const cells = cellsTouched(placed);
      for (let i = 0; i < cells.length; i += CELLS_PER_STATEMENT) {
        const values = cells
          .slice(i, i + CELLS_PER_STATEMENT)
          .map(
            (c) =>
              sql`(${c.org_id}, ${c.source}, ${c.subject}, ${c.latest_seq}, ${c.latest_time}, ${c.versioned_seq}, ${c.versioned_time})`,
          );
        await sql`insert into grid_cells (${sql.raw(CELL_COLUMNS)}) values ${sql.join(values)} ${sql.raw(CELL_UPSERT)}`.execute(
          trx,
        );
      }
      const touched = valuesTouched(placed);
      for (let i = 0; i < touched.length; i += CELLS_PER_STATEMENT) {
        const values = touched
          .slice(i, i + CELLS_PER_STATEMENT)
          .map((v) => sql`(${v.org_id}, ${v.field}, ${v.value}, ${v.count}, ${v.last_time})`);
        await sql`insert into value_counts (${sql.raw(VALUE_COLUMNS)}) values ${sql.join(values)} ${sql.raw(VALUE_UPSERT)}`.execute(
          trx,
        );
      }
      return inserted;
    },
    async findExisting(orgId, identities) {
      const rows: EventRow[] = [];
      for (let i = 0; i < identities.length; i += IDENTITIES_PER_LOOKUP) {
        const chunk = identities.slice(i, i + IDENTITIES_PER_LOOKUP);
        rows.push(
          ...(await trx
            .selectFrom('events')
            .selectAll()
            .where('org_id', '=', orgId)
            // A row-value IN over VALUES is answered from the identity index; a long OR of
            // (source AND id) pairs is not (10 s per 300 identities at 330k events, against 1 ms).
            .where(
              sql<boolean>`(source, id) in (values ${sql.join(chunk.map((m) => sql`(${m.source}, ${m.id})`))})`,
            )
            .execute()),
        );
      }
      return rows;
    },
    addUsage: (orgId, n, at) => new UsageRepository(trx).add(orgId, 'events', n, at),
  };
}

export function kyselyTransact(db: Kysely<Database>): Transact {
  return (work) => db.transaction().execute((trx) => work(kyselyOps(trx)));
}

/** Runs `work` in a transaction the caller already holds (a consumer's batch): it commits with the rest. */
export function withinTransaction(trx: Kysely<Database>): Transact {
  return (work) => work(kyselyOps(trx));
}

const COLUMNS = [
  'org_id',
  'id',
  'source',
  'type',
  'subject',
  'severity',
  'version',
  'time',
  'received_at',
  'datacontenttype',
  'dataschema',
  'data',
  'search_text',
  'size',
  'extensions',
  'correlationid',
  'causationid',
  'type_lower',
  'source_lower',
  'subject_lower',
] as const satisfies readonly (keyof Insertable<EventsTable>)[];

function sqliteStatements(raw: SQLite.Database) {
  return {
    // No RETURNING: on SQLite it halves insert throughput; `changes` and `lastInsertRowid` say
    // whether the row went in and which row number it got.
    insert: raw.prepare<unknown[]>(
      `insert into events (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})
       on conflict (org_id, source, id) do nothing`,
    ),
    find: raw.prepare<[string, string, string], EventRow>(
      'select * from events where org_id = ? and source = ? and id = ?',
    ),
    usage: raw.prepare(
      `insert into usage (org_id, metric, period, count) values (?, 'events', ?, ?), (?, 'events', ?, ?)
       on conflict (org_id, metric, period) do update set count = usage.count + excluded.count`,
    ),
    cell: raw.prepare(`insert into grid_cells (${CELL_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?) ${CELL_UPSERT}`),
    value: raw.prepare(`insert into value_counts (${VALUE_COLUMNS}) values (?, ?, ?, ?, ?) ${VALUE_UPSERT}`),
  };
}

export function sqliteTransact(db: Kysely<Database>, raw: SQLite.Database): Transact {
  // Prepared on first use: the tables exist only once the migrations have run.
  let statements: ReturnType<typeof sqliteStatements> | undefined;
  const ops: WriteOps = {
    async insert(rows) {
      statements ??= sqliteStatements(raw);
      const inserted: { seq: number; source: string; id: string }[] = [];
      const placed: Placed[] = [];
      for (const row of rows) {
        const result = statements.insert.run(COLUMNS.map((c) => row[c] ?? null));
        if (result.changes !== 1) continue;
        const seq = Number(result.lastInsertRowid);
        inserted.push({ seq, source: row.source, id: row.id });
        placed.push({ ...row, seq });
      }
      for (const c of cellsTouched(placed))
        statements.cell.run(
          c.org_id,
          c.source,
          c.subject,
          c.latest_seq,
          c.latest_time,
          c.versioned_seq,
          c.versioned_time,
        );
      for (const v of valuesTouched(placed))
        statements.value.run(v.org_id, v.field, v.value, v.count, v.last_time);
      return inserted;
    },
    async findExisting(orgId, identities) {
      statements ??= sqliteStatements(raw);
      const { find } = statements;
      return identities.flatMap((m) => find.get(orgId, m.source, m.id) ?? []);
    },
    async addUsage(orgId, n, at) {
      if (n <= 0) return;
      statements ??= sqliteStatements(raw);
      const { month, day } = usagePeriods(at);
      statements.usage.run(orgId, month, n, orgId, day, n);
    },
  };
  return (work) =>
    db.connection().execute(async () => {
      raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(ops);
        raw.exec('COMMIT');
        return result;
      } catch (error) {
        if (raw.inTransaction) raw.exec('ROLLBACK');
        throw error;
      }
    });
}
