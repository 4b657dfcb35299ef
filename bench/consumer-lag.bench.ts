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
  events: number;
  p50: number;
  p99: number;
  max: number;
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

async function lagsAfter(store: Store, fromSeq: number, expected: number): Promise<number[]> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await sql<{
      lag_ms: number;
    }>`select lag_ms from bench_lag where seq > ${fromSeq}`.execute(store.db);
    if (rows.length >= expected || Date.now() > deadline)
      return rows.map((r) => Number(r.lag_ms)).sort((a, b) => a - b);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function engineRuns(engine: 'sqlite' | 'postgres'): Promise<Run[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-lag-'));
  const schema = `bench_lag_${randomBytes(4).toString('hex')}`;
  let databaseUrl: string | undefined;
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
  const key = (
    await store.apiKeys.create((await store.organizations.ensureDefault()).id, 'bench', 'READ_WRITE')
  ).key;
  const server = await start({ OPSTRAILS_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '' });
  const runs: Run[] = [];
  try {
    const scenarios: [string, Partial<autocannon.Options>][] = [
      [`steady ${fmt(STEADY_RATE)} events/s`, { overallRate: STEADY_RATE }],
      [`as fast as ${CONNECTIONS} connections send`, {}],
    ];
    for (const [label, options] of scenarios) {
      const before = Number(
        (await sql<{ m: number | null }>`select max(seq) as m from events`.execute(store.db)).rows[0]?.m ?? 0,
      );
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
      const events = result['2xx'];
      const lags = await lagsAfter(store, before, events);
      runs.push({
        label: `${engine === 'sqlite' ? 'SQLite' : 'PostgreSQL'}, ${label}`,
        rps: result.requests.average,
        events: lags.length,
        p50: percentile(lags, 50),
        p99: percentile(lags, 99),
        max: lags.at(-1) ?? Number.NaN,
      });
    }
  } finally {
    await stop(server.child);
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (engine === 'postgres' && PG_URL) {
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      await admin.query(`drop schema if exists ${schema} cascade`);
      await admin.end();
    }
  }
  return runs;
}

const load = loadavg()[0] ?? 0;
const runs = [...(await engineRuns('sqlite')), ...(PG_URL ? await engineRuns('postgres') : [])];
const row = (r: Run) =>
  `| ${r.label} | ${fmt(r.rps)} | ${fmt(r.events)} | ${r.p50} ms | ${r.p99} ms | ${r.max} ms |`;
writeSection(
  'consumer-lag',
  `## Consumer lag under sustained ingest

\`npx tsc --build && npm run bench -- consumer-lag\` (PostgreSQL rows with \`OPSTRAILS_BENCH_DATABASE_URL=postgres://…\`):
one server process with one consumer (batches of up to 100, each writing one row per event in the
batch's transaction); autocannon sends single-event POSTs over ${CONNECTIONS} connections for ${DURATION_S} s, first at a
steady rate, then as fast as it can. Lag = the consumer handling an event minus the server receiving it,
over every event of the run. Load generator, server (and PostgreSQL) share the machine; its load average
when the run started was ${load.toFixed(1)} (other work on the machine slows every figure).

| run | ingest requests/s | events handled | lag p50 | lag p99 | lag max |
| --- | ---: | ---: | ---: | ---: | ---: |
${runs.map(row).join('\n')}`,
);
