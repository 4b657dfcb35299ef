import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@opstrails/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventRepository } from './events.js';
import { ReaderPool, readerKysely } from './sqlite-readers.js';
import { openStore, SQLITE_FILE, type Store } from './store.js';

const NOW = Date.UTC(2026, 10, 22);
const SOURCES = ['FE', 'BE', 'DB'];
const SUBJECTS = ['PRODUCTION', 'STAGING', null];

function event(i: number): NewEvent {
  return {
    id: `e-${i}`,
    type: i % 4 === 0 ? 'incident' : 'deployment',
    source: SOURCES[i % 3] as string,
    subject: SUBJECTS[(i % 5) % 3] ?? null,
    // Several events share a millisecond, so ties on time are ordered by row number.
    time: NOW - Math.floor(i / 3) * 60_000,
    severity: i % 7 === 0 ? 'MAJOR' : null,
    version: i % 2 === 0 ? `1.${i % 5}.0` : null,
    datacontenttype: 'application/json',
    dataschema: null,
    data: { description: `release ${i}${i % 10 === 0 ? ' with 50% rollout' : ''}` },
    size: 100,
  };
}

async function collect<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/** A query that keeps a reader thread busy for a while (SQLite counting in a recursive CTE). */
const slowCount = (n: number) =>
  sql<{
    n: number;
  }>`with recursive c(x) as (select 1 union all select x + 1 from c where x < ${n}) select count(*) as n from c`;

describe('SQLite reader threads', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-readers-'));
  let store: Store;
  let orgId: string;
  /** The same repository reading on the main connection: what the pool must answer too. */
  let main: EventRepository;

  beforeAll(async () => {
    store = await openStore({ dataDir, sqliteReaders: 2 });
    orgId = (await store.organizations.ensureDefault()).id;
    await store.events.insert(
      orgId,
      Array.from({ length: 600 }, (_, i) => event(i)),
      NOW,
    );
    main = new EventRepository(store.db, () => Promise.reject(new Error('reads only')));
  });
  afterAll(async () => {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('reads on threads of their own, not on the main connection', () => {
    expect(store.readDb).not.toBe(store.db);
  });

  it('answers every read exactly as the main connection does', async () => {
    const filters = [
      {},
      { types: ['incident'], severities: ['MAJOR' as const] },
      { sources: ['BE'], subjects: ['STAGING'], from: NOW - 3_600_000 },
      { search: '50%' },
      { search: 'no such text anywhere' },
    ];
    for (const filter of filters) {
      const pooled = await store.events.list(orgId, filter, 50);
      expect(pooled).toEqual(await main.list(orgId, filter, 50));
      if (pooled.next) {
        const after = pooled.next;
        expect(await store.events.list(orgId, filter, 50, after)).toEqual(
          await main.list(orgId, filter, 50, after),
        );
      }
      expect(await store.events.countMatching(orgId, 'source', filter)).toEqual(
        await main.countMatching(orgId, 'source', filter),
      );
      const exported = await collect(store.events.streamAscending(orgId, filter, 70));
      expect(exported).toEqual(await collect(main.streamAscending(orgId, filter, 70)));
    }
    expect((await store.events.list(orgId, {}, 1_000)).rows).toHaveLength(600);
    expect(await store.events.countBy(orgId, 'subject')).toEqual(await main.countBy(orgId, 'subject'));
    expect(await store.events.gridCells(orgId)).toEqual(await main.gridCells(orgId));
    expect(await store.events.gridCells(orgId, NOW - 600_000)).toEqual(
      await main.gridCells(orgId, NOW - 600_000),
    );
    expect(await store.events.byVersion(orgId, '1.2.0', 'DB', 10)).toEqual(
      await main.byVersion(orgId, '1.2.0', 'DB', 10),
    );
    const changes = ['BE', 'DB'].flatMap((source) =>
      ['1.0.0', '1.4.0'].map((version) => ({ source, version })),
    );
    expect(await store.events.versionHistory(orgId, changes, 0, NOW)).toEqual(
      await main.versionHistory(orgId, changes, 0, NOW),
    );
    const found = await store.events.findById(orgId, 'e-42');
    expect(found).toHaveLength(1);
    expect(found).toEqual(await main.findById(orgId, 'e-42'));
  });

  it('sees a write as soon as it is committed', async () => {
    const [outcome] = await store.events.insert(orgId, [{ ...event(10_000), id: 'fresh' }], NOW);
    expect(outcome?.created).toBe(true);
    expect(await store.events.findById(orgId, 'fresh')).toHaveLength(1);
  });

  it('gives integers, large ones included, and BigInt parameters the same values as the main connection', async () => {
    const query = sql<{
      big: number;
      param: number;
      neg: number;
    }>`select 9007199254740993 as big, ${12_345_678_901_234_567n} as param, -4611686018427387904 as neg`;
    const pooled = (await query.execute(store.readDb)).rows;
    expect(pooled).toEqual((await query.execute(store.db)).rows);
    expect(typeof pooled[0]?.big).toBe('number');
  });

  it('does not hold up the event loop while a read runs', async () => {
    let timerFired = false;
    const read = slowCount(3_000_000)
      .execute(store.readDb)
      .then((r) => ({ rows: r.rows, timerFiredFirst: timerFired }));
    await new Promise((resolve) => setTimeout(resolve, 1));
    timerFired = true;
    const { rows, timerFiredFirst } = await read;
    expect(rows).toEqual([{ n: 3_000_000 }]);
    expect(timerFiredFirst).toBe(true);
  });

  it('refuses writes and reports SQLite errors with their code', async () => {
    await expect(sql`delete from events`.execute(store.readDb)).rejects.toThrow(
      /only queries that return rows/,
    );
    await expect(sql`select * from no_such_table`.execute(store.readDb)).rejects.toMatchObject({
      code: 'SQLITE_ERROR',
      message: expect.stringMatching(/no such table/),
    });
    await expect(store.readDb.transaction().execute(async () => 1)).rejects.toThrow(/main connection/);
    expect(await store.events.findById(orgId, 'e-1')).toHaveLength(1);
  });
});

describe('a reader thread that dies', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-readers-crash-'));
  let store: Store;
  let pool: ReaderPool;

  beforeAll(async () => {
    // The main store creates the file and its WAL; the pool under test reads it.
    store = await openStore({ dataDir });
    pool = new ReaderPool(join(dataDir, SQLITE_FILE), 1);
  });
  afterAll(async () => {
    await pool.close();
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('fails the query it was running with an error saying so, and a new thread answers the next', async () => {
    const db = readerKysely(pool);
    expect((await sql<{ x: number }>`select 1 as x`.execute(db)).rows).toEqual([{ x: 1 }]);
    const running = slowCount(5_000_000).execute(db);
    const queued = sql<{ x: number }>`select 2 as x`.execute(db);
    const [thread] = pool.threads;
    await thread?.terminate();
    await expect(running).rejects.toThrow(/reader thread stopped.*not answered/);
    expect((await queued).rows).toEqual([{ x: 2 }]);
    expect(pool.threads).toHaveLength(1);
    expect(pool.threads[0]).not.toBe(thread);
  });

  it('fails queries waiting when the pool closes, and refuses new ones', async () => {
    const closing = new ReaderPool(join(dataDir, SQLITE_FILE), 1);
    const answers = Promise.allSettled([closing.run('select 1 as x', []), closing.run('select 2 as x', [])]);
    await closing.close();
    const [running, waiting] = await answers;
    // The query a thread had already taken is answered; the one still waiting is not run.
    expect(running).toEqual({ status: 'fulfilled', value: [{ x: 1 }] });
    expect(waiting).toMatchObject({
      status: 'rejected',
      reason: { message: expect.stringMatching(/store is closed/) },
    });
    await expect(closing.run('select 3 as x', [])).rejects.toThrow(/store is closed/);
  });

  it('fails a query with a clear error when the database cannot be opened', async () => {
    const missing = new ReaderPool(join(dataDir, 'missing.db'), 1);
    await expect(missing.run('select 1', [])).rejects.toThrow(
      /reader thread stopped: cannot open .*missing\.db to read: .*SQLITE_CANTOPEN/,
    );
    await missing.close();
  });
});
