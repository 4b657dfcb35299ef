/** The log reader on both engines: order, scope, head, and (PostgreSQL) no row skipped when commits come out of order. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@opstrails/core';
import { CompiledQuery, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { comparePositions, LOG_START, type LogPosition, positionOf } from './event-log.js';
import { openStore, type Store } from './store.js';

const T0 = Date.UTC(2026, 10, 1);

const event = (id: string, type = 'deployment'): NewEvent => ({
  id,
  type,
  source: 'BE',
  time: T0,
  subject: 'PRODUCTION',
  severity: null,
  version: null,
  datacontenttype: 'application/json',
  dataschema: null,
  data: null,
  size: 50,
});

describe.each(ENGINES)('event log on %s', (engine) => {
  let store: Store;
  let orgId: string;
  let otherOrgId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-log-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;

  /** Reads the whole log from `from` in pages of `page`, as a consumer would. */
  async function readAll(from: LogPosition, page = 2, orgOnly = true): Promise<string[]> {
    const ids: string[] = [];
    let at = from;
    for (;;) {
      const rows = await store.log.read(at, page, orgOnly ? { orgId } : {});
      for (const row of rows) {
        expect(comparePositions(positionOf(row), at)).toBeGreaterThan(0);
        at = positionOf(row);
        ids.push(row.id);
      }
      if (rows.length < page) return ids;
    }
  }

  /**
   * On PostgreSQL, waits until every transaction up to our last insert has ended: other test
   * files' write transactions on the same cluster hold the horizon back for a moment.
   */
  async function settled(): Promise<void> {
    if (engine !== 'postgres') return;
    const last = await store.db
      .selectFrom('events')
      .select((eb) => eb.fn.max('txid').as('max'))
      .executeTakeFirstOrThrow();
    await vi.waitFor(
      async () => expect((await store.log.head()).txid).toBeGreaterThanOrEqual(Number(last.max)),
      { timeout: 20_000, interval: 50 },
    );
  }

  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    orgId = (await store.organizations.ensureDefault()).id;
    otherOrgId = (await store.organizations.create('other', 'Other')).id;
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads one organization in commit order, in pages, and filtered', async () => {
    await store.events.insert(orgId, [event('a'), event('b', 'rollback')], T0);
    await store.events.insert(otherOrgId, [event('x')], T0);
    await store.events.insert(orgId, [event('c')], T0);
    await settled();
    expect(await readAll(LOG_START)).toEqual(['a', 'b', 'c']);
    const everything = (await store.log.read(LOG_START, 10)).map((r) => r.id);
    expect(everything).toEqual(['a', 'b', 'x', 'c']);
    const rollbacks = await store.log.read(LOG_START, 10, { orgId, filter: { types: ['rollback'] } });
    expect(rollbacks.map((r) => r.id)).toEqual(['b']);
  });

  it('head: a reader starting there gets only what is stored later; positionOfSeq resumes after a row', async () => {
    const head = await store.log.head();
    expect(await store.log.read(head, 10, { orgId })).toEqual([]);
    await store.events.insert(orgId, [event('d'), event('e')], T0);
    await settled();
    expect((await store.log.read(head, 10, { orgId })).map((r) => r.id)).toEqual(['d', 'e']);
    const [d] = await store.events.findById(orgId, 'd');
    const afterD = await store.log.positionOfSeq(orgId, Number(d?.seq));
    expect((await store.log.read(afterD, 10, { orgId })).map((r) => r.id)).toEqual(['e']);
  });

  it("reads one organization's rows as index range scans in log order, with no sort", async () => {
    const [sameTransaction, laterTransactions] = store.log.readQueries({ txid: 0, seq: 2 }, 500, { orgId });
    for (const [query, range, pgRange] of [
      [
        sameTransaction,
        /events_org_log \(org_id=\? AND txid=\? AND seq>\?\)/,
        /\(txid = '0'::bigint\) AND \(seq > '2'::bigint\)/,
      ],
      [laterTransactions, /events_org_log \(org_id=\? AND txid>\?\)/, /\(txid > '0'::bigint\)/],
    ] as const) {
      const compiled = query.compile();
      const explain = (conn: typeof store.db, prefix: string) =>
        conn.executeQuery<Record<string, string>>(
          CompiledQuery.raw(`${prefix} ${compiled.sql}`, [...compiled.parameters]),
        );
      if (engine === 'sqlite') {
        const { rows } = await explain(store.db, 'explain query plan');
        const detail = rows.map((r) => r.detail).join('\n');
        // The range starts at the position: a read never walks the rows before it.
        expect(detail).toMatch(range);
        expect(detail).not.toMatch(/TEMP B-TREE/);
      } else {
        // A test table is tiny, where a sequential scan is cheapest: forbid it to see the index plan.
        const plan = await store.db.connection().execute(async (conn) => {
          await sql`set enable_seqscan = off`.execute(conn);
          const { rows } = await explain(conn, 'explain');
          await sql`reset enable_seqscan`.execute(conn);
          return rows.map((r) => r['QUERY PLAN']).join('\n');
        });
        expect(plan).toMatch(/Index Scan using events_org_log/);
        expect(plan.slice(plan.indexOf('Index Cond'))).toMatch(pgRange);
        expect(plan).not.toMatch(/Sort/);
      }
    }
  });

  it.runIf(engine === 'postgres')(
    'never skips a row whose transaction commits after later rows were committed',
    async () => {
      const start = await store.log.head();
      const url = new URL(PG_URL as string);
      url.searchParams.set('options', `-c search_path=${schema}`);
      const slow = new pg.Client({ connectionString: url.toString() });
      await slow.connect();
      try {
        await slow.query('begin');
        await slow.query(
          `insert into events (org_id, id, source, type, time, received_at, datacontenttype, search_text, size)
           values ($1, 'late', 'BE', 'deployment', $2, $2, 'application/json', '', 10)`,
          [orgId, T0],
        );
        // Later transactions commit while the first is still open: a reader that passed
        // their rows now would never see 'late', so it must wait for the first to end.
        await store.events.insert(orgId, [event('f')], T0);
        await store.events.insert(orgId, [event('g')], T0);
        // A reader that keeps its position across reads, like a consumer or a live stream.
        let at = start;
        const seen: string[] = [];
        const readMore = async () => {
          for (const row of await store.log.read(at, 100, { orgId })) {
            seen.push(row.id);
            at = positionOf(row);
          }
        };
        await readMore();
        expect(seen).toEqual([]);
        await slow.query('commit');
        await settled();
        await readMore();
        expect(seen).toEqual(['late', 'f', 'g']);
      } finally {
        await slow.end();
      }
    },
  );
});
