/**
 * Retention against ingest: deleting a large backlog of old events (what the first run after a
 * plan change faces) in one statement against the bounded batches of EventRepository.deleteOlderThan,
 * while a writer inserts one event every 5 ms. Measures the deletion's duration, the insert
 * latency meanwhile and, on SQLite, the longest stall of the event loop.
 * SQLite: two copies of a 200,000-event store, each losing its oldest 60 days (of 90).
 * PostgreSQL (when OPSTRAILS_TEST_DATABASE_URL is set): one store of 1,000,000 events losing its
 * oldest 30 days in one statement, then the next 30 days in batches.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@opstrails/core';
import { openStore, type Store } from '@opstrails/server';
import { sql } from 'kysely';
import pg from 'pg';
import { fmt, percentile, writeSection } from './lib/results.js';
import { seedEvents, seededDataDir } from './lib/seed.js';

const DAY = 86_400_000;
const PG_URL = process.env.OPSTRAILS_TEST_DATABASE_URL;
const PG_EVENTS = 1_000_000;

interface Run {
  deleted: number;
  seconds: number;
  inserts: number;
  insertP99: number;
  insertMax: number;
  loopMax: number;
}

type Deletion = 'one statement' | 'batches';

/** Deletes what is older than `before` as retention did before (one statement) or does now (batches). */
async function remove(store: Store, orgId: string, before: number, how: Deletion): Promise<number> {
  if (how === 'batches') return store.events.deleteOlderThan(orgId, before);
  const result = await store.db
    .deleteFrom('events')
    .where('org_id', '=', orgId)
    .where('time', '<', before)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

async function measure(store: Store, orgId: string, before: number, how: Deletion): Promise<Run> {
  // The longest gap between ticks of a 1 ms timer: how long the event loop was held at once.
  let loopMax = 0;
  let lastTick = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    loopMax = Math.max(loopMax, now - lastTick);
    lastTick = now;
  }, 1);
  let deleting = true;
  const latencies: number[] = [];
  const writer = (async () => {
    for (let i = 0; deleting; i++) {
      const event: NewEvent = {
        id: `live-${before}-${i}`,
        type: 'deployment',
        source: 'LIVE',
        subject: 'PRODUCTION',
        time: Date.now(),
        severity: null,
        version: null,
        datacontenttype: 'application/json',
        dataschema: null,
        data: null,
        size: 80,
      };
      const started = performance.now();
      await store.events.insert(orgId, [event], Date.now());
      latencies.push(performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const started = performance.now();
  const deleted = await remove(store, orgId, before, how);
  const seconds = (performance.now() - started) / 1000;
  deleting = false;
  await writer;
  clearInterval(ticker);
  latencies.sort((a, b) => a - b);
  return {
    deleted,
    seconds,
    inserts: latencies.length,
    insertP99: percentile(latencies, 99),
    insertMax: latencies[latencies.length - 1] ?? 0,
    loopMax,
  };
}

async function oldest(store: Store, orgId: string): Promise<number> {
  const { rows } = await sql<{
    t: number | string;
  }>`select min(time) as t from events where org_id = ${orgId}`.execute(store.db);
  return Number(rows[0]?.t);
}

async function sqliteRun(seeded: string, how: Deletion): Promise<Run> {
  const dir = mkdtempSync(join(tmpdir(), 'opstrails-bench-retention-'));
  cpSync(seeded, dir, { recursive: true });
  // As in the server: WAL checkpoints from a thread of their own, not the committing connection.
  const store = await openStore({ dataDir: dir, backgroundCheckpoints: true });
  try {
    const org = await store.organizations.ensureDefault();
    return await measure(store, org.id, (await oldest(store, org.id)) + 60 * DAY, how);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function postgresRuns(url: string): Promise<{ one: Run; batched: Run }> {
  const schema = `bench_retention_${randomBytes(4).toString('hex')}`;
  const store = await openStore({ databaseUrl: url, pgSchema: schema, dataDir: tmpdir() });
  try {
    const org = await store.organizations.ensureDefault();
    process.stdout.write(`seeding ${fmt(PG_EVENTS)} events into PostgreSQL schema ${schema}\n`);
    await seedEvents(store, org.id, PG_EVENTS, { days: 90 });
    await sql`analyze events`.execute(store.db);
    const start = await oldest(store, org.id);
    const one = await measure(store, org.id, start + 30 * DAY, 'one statement');
    const batched = await measure(store, org.id, start + 60 * DAY, 'batches');
    return { one, batched };
  } finally {
    await store.close();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  }
}

const row = (label: string, r: Run, loop: boolean) =>
  `| ${label} | ${fmt(r.deleted)} | ${fmt(r.seconds, 1)} s | ${fmt(r.deleted / r.seconds)} | ${fmt(r.inserts)} | ${fmt(r.insertP99, 1)} ms | ${fmt(r.insertMax, 1)} ms |${loop ? ` ${fmt(r.loopMax, 0)} ms |` : ''}`;

const seeded = await seededDataDir(200_000);
const sqliteOne = await sqliteRun(seeded, 'one statement');
const sqliteBatched = await sqliteRun(seeded, 'batches');
const postgres = PG_URL ? await postgresRuns(PG_URL) : null;

writeSection(
  'retention',
  `## Retention against ingest

\`npm run bench -- retention\` (PostgreSQL part with \`OPSTRAILS_TEST_DATABASE_URL\` set): deleting a backlog of old
events in one statement against the bounded batches of \`EventRepository.deleteOlderThan\` (500 rows per
statement, other work runs between them), while one writer inserts an event every 5 ms through the store.

SQLite, two copies of a 200,000-event store (90 days), each losing its oldest 60 days:

| deletion | rows | took | rows/s | inserts meanwhile | insert p99 | insert max | longest event-loop stall |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${row('one statement', sqliteOne, true)}
${row('batches of 500', sqliteBatched, true)}
${
  postgres
    ? `
PostgreSQL, one store of ${fmt(PG_EVENTS)} events (90 days): the oldest 30 days in one statement, then the next 30 days in batches:

| deletion | rows | took | rows/s | inserts meanwhile | insert p99 | insert max |
| --- | ---: | ---: | ---: | ---: | ---: | ---: |
${row('one statement', postgres.one, false)}
${row('batches of 500', postgres.batched, false)}
`
    : '\nPostgreSQL: not run (OPSTRAILS_TEST_DATABASE_URL unset).\n'
}
Load average at the end: ${loadavg()[0]?.toFixed(1)} (the machine was shared with other work).`,
);
