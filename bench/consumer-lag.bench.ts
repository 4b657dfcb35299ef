/**
 * Consumer lag under sustained ingest: a server process runs one consumer that records, for each
 * event, the time from its receipt to the consumer handling it; autocannon sends single-event
 * POSTs for a while, at a steady rate and then as fast as it can. Lag percentiles come from every
 * event of the run. SQLite always; PostgreSQL too when OPSTRAILS_BENCH_DATABASE_URL is set (a
 * fresh schema, dropped afterwards). Needs a build (`npx tsc --build`): the server runs from dist.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '@opstrails/server';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import pg from 'pg';
import { fmt, percentile, writeSection } from './lib/results.js';

const DURATION_S = 15;
const CONNECTIONS = 10;
const STEADY_RATE = 500;
const PG_URL = process.env.OPSTRAILS_BENCH_DATABASE_URL;
const PROGRAM = fileURLToPath(new URL('./lib/consumer-server.ts', import.meta.url));

interface Run {
  label: string;
  rps: number;
  /** p99 time to answer a POST: the part of the lag spent before the event's commit. */
  ingestP99: number;
  events: number;
  p50: number;
  p99: number;
  max: number;
  /** PostgreSQL: p99 age of the cluster's oldest transaction holding an id, sampled during the run (ms). */
  horizonP99: number;
}

/**
 * Samples, every 50 ms until stopped, how long the oldest transaction holding a transaction id
 * anywhere in the PostgreSQL cluster has been running: the reader's horizon waits for it, so it
 * bounds consumer lag from below, whoever runs it.
 */
function sampleHorizon(url: string): { stop(): Promise<number[]> } {
  const client = new pg.Client({ connectionString: url });
  const ages: number[] = [];
  let running = true;
  const done = (async () => {
    await client.connect();
    while (running) {
      const { rows } = await client.query(
        `select coalesce(max(extract(epoch from clock_timestamp() - xact_start) * 1000), 0) as ms
         from pg_stat_activity where backend_xid is not null`,
      );
      ages.push(Number(rows[0]?.ms ?? 0));
      await new Promise((r) => setTimeout(r, 50));
    }
    await client.end();
  })();
  return {
    async stop() {
      running = false;
      await done;
      return ages.sort((a, b) => a - b);
    },
  };
}

function start(env: NodeJS.ProcessEnv): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', PROGRAM], {
      env: { ...process.env, OPSTRAILS_LOG_LEVEL: 'warn', OPSTRAILS_HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout?.on('data', (c) => {
      out += c;
      const url = /running at (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ url, child });
    });
    child.once('exit', (code) => reject(new Error(`consumer server exited early with ${code}`)));
  });
}

const stop = (child: ChildProcess) =>
  new Promise<void>((done) => {
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });

/** Every recorded lag, sorted, once the consumer has handled `expected` events (or a minute has passed). */
async function lagsOf(store: Store, expected: number): Promise<number[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await sql<{ lag_ms: number }>`select lag_ms from bench_lag`.execute(store.db);
    if (rows.length >= expected || Date.now() > deadline)
      return rows.map((r) => Number(r.lag_ms)).sort((a, b) => a - b);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A fresh store per run, so no run starts behind on events an earlier run left unhandled. */
async function freshStore(engine: 'sqlite' | 'postgres') {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-lag-'));
  const schema = `bench_lag_${randomBytes(4).toString('hex')}`;
  let databaseUrl = '';
  if (engine === 'postgres' && PG_URL) {
    const url = new URL(PG_URL);
    url.searchParams.set('options', `-c search_path=${schema}`);
    databaseUrl = url.toString();
  }
  const store = await openStore({
    dataDir,
    databaseUrl: engine === 'postgres' ? PG_URL : undefined,
    pgSchema: engine === 'postgres' ? schema : undefined,
  });
  const org = await store.organizations.ensureDefault();
  const key = (await store.apiKeys.create(org.id, 'bench', 'READ_WRITE')).key;
  return {
    store,
    key,
    env: { OPSTRAILS_DATA_DIR: dataDir, DATABASE_URL: databaseUrl },
    async remove() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
      if (engine === 'postgres' && PG_URL) {
        const admin = new pg.Client({ connectionString: PG_URL });
        await admin.connect();
        await admin.query(`drop schema if exists ${schema} cascade`);
        await admin.end();
      }
    },
  };
}

async function engineRuns(engine: 'sqlite' | 'postgres'): Promise<Run[]> {
  const runs: Run[] = [];
  const scenarios: [string, Partial<autocannon.Options>, boolean][] = [
    [`steady ${fmt(STEADY_RATE)} events/s`, { overallRate: STEADY_RATE }, true],
    // Interleaved, twice each: the machine's other work drifts, and a pair run back to back
    // compares better than two runs minutes apart.
    [`as fast as ${CONNECTIONS} connections send, no consumer (ingest baseline)`, {}, false],
    [`as fast as ${CONNECTIONS} connections send`, {}, true],
    [`as fast as ${CONNECTIONS} connections send, no consumer (ingest baseline)`, {}, false],
    [`as fast as ${CONNECTIONS} connections send`, {}, true],
  ];
  for (const [label, options, withConsumer] of scenarios) {
    const { store, key, env, remove } = await freshStore(engine);
    try {
      const server = await start({ ...env, ...(withConsumer ? {} : { BENCH_NO_CONSUMER: '1' }) });
      const horizon = engine === 'postgres' && PG_URL ? sampleHorizon(PG_URL) : null;
      const result = await autocannon({
        url: `${server.url}/api/v1/events`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: DURATION_S,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          specversion: '1.0',
          type: 'deployment',
          source: 'BENCH',
          subject: 'PRODUCTION',
          time: 'NOW',
        }),
        ...options,
      });
      const horizonAges = (await horizon?.stop()) ?? [];
      const lags = withConsumer ? await lagsOf(store, result['2xx']) : [];
      await stop(server.child);
      runs.push({
        label: `${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${label}`,
        rps: result.requests.average,
        ingestP99: result.latency.p99,
        events: withConsumer ? lags.length : result['2xx'],
        p50: percentile(lags, 50),
        p99: percentile(lags, 99),
        max: lags.at(-1) ?? Number.NaN,
        horizonP99: percentile(horizonAges, 99),
      });
    } finally {
      await remove();
    }
  }
  return runs;
}

const load = loadavg()[0] ?? 0;
/** Which PostgreSQL ran the rows: the horizon is its whole cluster's, so the figures depend on what else it runs. */
async function pgDescription(): Promise<string> {
  if (!PG_URL) return '';
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  const { rows } = await client.query('show server_version');
  await client.end();
  const url = new URL(PG_URL);
  return ` PostgreSQL ${rows[0]?.server_version} at ${url.host}${url.pathname}.`;
}
const pgAt = await pgDescription();
const runs = [...(await engineRuns('sqlite')), ...(PG_URL ? await engineRuns('postgres') : [])];
const ms = (n: number) => (Number.isNaN(n) ? '–' : `${n} ms`);
const row = (r: Run) =>
  `| ${r.label} | ${fmt(r.rps)} | ${ms(r.ingestP99)} | ${fmt(r.events)} | ${ms(r.p50)} | ${ms(r.p99)} | ${ms(r.max)} | ${ms(Math.round(r.horizonP99))} |`;
writeSection(
  'consumer-lag',
  `## Consumer lag under sustained ingest

\`npx tsc --build && npm run bench -- consumer-lag\` (PostgreSQL rows with \`OPSTRAILS_BENCH_DATABASE_URL=postgres://…\`):
one server process with one consumer (batches of up to 100, each writing one row per event in the
batch's transaction); autocannon sends single-event POSTs over ${CONNECTIONS} connections for ${DURATION_S} s, first at a
steady rate, then as fast as it can, alternately with and without the consumer running (what the
consumer costs ingest). Lag = the consumer handling an event minus the server receiving it,
over every event of the run: it includes the time the POST took to commit (its p99 is beside it). Load generator, server (and PostgreSQL) share the machine; its load average
when the run started was ${load.toFixed(1)} (other work on the machine slows every figure).
On PostgreSQL the reader waits for every older transaction to end (the horizon), and that is every
transaction holding an id anywhere in the cluster: the last column is the p99 age of the oldest one,
sampled every 50 ms during the run, whoever ran it. A consumer cannot trail by less.${pgAt}
Each run has a store of its own (a data directory, a PostgreSQL schema), so none starts with a backlog.

| run | ingest requests/s | POST p99 | events stored | lag p50 | lag p99 | lag max | oldest write transaction p99 |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${runs.map(row).join('\n')}`,
);
