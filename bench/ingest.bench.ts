/**
 * Ingest speed, each figure beside its baseline from the same run:
 * - single-event POST over keep-alive HTTP (autocannon) vs a bare node:http server answering a fixed JSON body;
 * - 1,000-event batch POSTs vs raw better-sqlite3 prepared inserts (1,000 rows per transaction) into the same schema.
 * Each OpsTrails figure twice: with SQLite's `synchronous=FULL` (the default) and with
 * OPSTRAILS_SQLITE_SYNC=normal, so the price of surviving a power loss is measured, not guessed.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '@opstrails/server';
import autocannon from 'autocannon';
import SQLite from 'better-sqlite3';
import { fmt, writeSection } from './lib/results.js';
import { rng, syntheticEvent } from './lib/seed.js';
import { createKey, startServerProcess } from './lib/server-process.js';

const DURATION_S = 10;
const CONNECTIONS = 10;
const BATCH = 1_000;
const BATCHES = 100;
const SYNC_MODES = ['full', 'normal'] as const;
type SyncMode = (typeof SYNC_MODES)[number];

interface Load {
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
}

async function load(url: string, opts: Partial<autocannon.Options>): Promise<Load> {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S, ...opts });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx + result.errors,
  };
}

/** The bare baseline runs in a child process too, so both servers get one core and the load generator the other. */
async function bareServer(): Promise<{ url: string; stop(): void }> {
  const { fork } = await import('node:child_process');
  const code = `
    const body = JSON.stringify({ success: true, data: { id: 'x', specversion: '1.0', type: 'deployment', source: 'BE' } });
    require('node:http').createServer((req, res) => {
      req.resume();
      req.on('end', () => { res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }); res.end(body); });
    }).listen(0, '127.0.0.1', function () { process.send(this.address().port); });`;
  const child = fork('-e', [code], { execArgv: ['-e', code] });
  const port = await new Promise<number>((resolve) => child.once('message', (p) => resolve(p as number)));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

async function singleEvents(): Promise<string> {
  const event = JSON.stringify({
    specversion: '1.0',
    type: 'deployment',
    source: '//github.com/acme/api',
    time: 'NOW',
    subject: 'PRODUCTION',
    severity: 'MAJOR',
    version: '2.4.0',
    data: { description: 'Quarterly release with new checkout flow', ticket: 'JIRA-1234' },
  });
  const request = { method: 'POST' as const, body: event, headers: { 'content-type': 'application/json' } };

  const bare = await bareServer();
  const bareLoad = await load(bare.url, request);
  bare.stop();

  const ours = {} as Record<SyncMode, Load>;
  for (const mode of SYNC_MODES) {
    const dir = mkdtempSync(join(tmpdir(), 'opstrails-bench-'));
    const key = createKey(dir);
    const server = await startServerProcess(dir, { OPSTRAILS_SQLITE_SYNC: mode });
    ours[mode] = await load(`${server.url}/api/v1/events`, {
      ...request,
      headers: { ...request.headers, authorization: `Bearer ${key}` },
    });
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }

  const ratio = ours.full.rps / bareLoad.rps;
  const row = (label: string, l: Load) =>
    `| ${label} | ${fmt(l.rps)} | ${l.p50} ms | ${l.p99} ms | ${l.non2xx} |`;
  return `### Single-event POST, keep-alive HTTP

\`npm run bench -- ingest\`: autocannon, ${CONNECTIONS} connections, ${DURATION_S} s each, server and load generator in separate processes.
Every OpsTrails request validates, stores (SQLite, WAL) and answers a new event.

| server | requests/s | p50 | p99 | errors |
| --- | ---: | ---: | ---: | ---: |
${row('bare node:http, fixed JSON body', bareLoad)}
${row('OpsTrails `POST /api/v1/events`, `synchronous=FULL` (default)', ours.full)}
${row('OpsTrails `POST /api/v1/events`, `OPSTRAILS_SQLITE_SYNC=normal`', ours.normal)}

Ratio: **${(ratio * 100).toFixed(0)}%** of the bare server's rate with the default FULL sync (target: at least 50%).
FULL costs **${((1 - ours.full.rps / ours.normal.rps) * 100).toFixed(0)}%** of NORMAL's single-event rate.`;
}

async function batches(): Promise<string> {
  const now = Date.now();
  const random = rng(7);
  const bodies: string[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const events = Array.from({ length: BATCH }, (_, i) => {
      const e = syntheticEvent(b * BATCH + i, BATCH * BATCHES, now, 90, random);
      return {
        specversion: '1.0',
        ...e,
        time: new Date(e.time).toISOString(),
        size: undefined,
        dataschema: undefined,
      };
    });
    bodies.push(JSON.stringify(events));
  }
  const ours = {} as Record<SyncMode, number>;
  const raw = {} as Record<SyncMode, number>;
  for (const mode of SYNC_MODES) {
    ours[mode] = await oursBatches(bodies, mode);
    raw[mode] = await rawBatches(now, random, mode);
  }

  return `### Batch ingest, ${fmt(BATCH)} events per request

\`npm run bench -- ingest\`: ${BATCHES} batches of ${fmt(BATCH)} events (${fmt(BATCH * BATCHES)} events) POSTed one after another,
against raw better-sqlite3 prepared inserts of the same number of rows into the same schema and indexes, ${fmt(BATCH)} rows per transaction,
each with SQLite's \`synchronous=FULL\` (the default) and \`NORMAL\` (\`OPSTRAILS_SQLITE_SYNC=normal\`).

| path | FULL events/s | NORMAL events/s |
| --- | ---: | ---: |
| raw better-sqlite3 prepared inserts | ${fmt(raw.full)} | ${fmt(raw.normal)} |
| OpsTrails \`POST /api/v1/events\` (HTTP, parse, validate, store, answer every stored event) | ${fmt(ours.full)} | ${fmt(ours.normal)} |

Ratio: **${((ours.full / raw.full) * 100).toFixed(0)}%** of raw with FULL, ${((ours.normal / raw.normal) * 100).toFixed(0)}% with NORMAL (target: at least 40%).`;
}

async function oursBatches(bodies: string[], mode: SyncMode): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'opstrails-bench-'));
  const key = createKey(dir);
  const server = await startServerProcess(dir, { OPSTRAILS_SQLITE_SYNC: mode });
  const started = performance.now();
  for (const body of bodies) {
    const res = await fetch(`${server.url}/api/v1/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body,
    });
    const answer = (await res.json()) as { data: { rejected: unknown[] } };
    if (res.status !== 200 || answer.data.rejected.length > 0) throw new Error(`batch failed: ${res.status}`);
  }
  const rate = (BATCH * BATCHES) / ((performance.now() - started) / 1000);
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
  return rate;
}

async function rawBatches(now: number, random: () => number, mode: SyncMode): Promise<number> {
  // Raw: the same schema and indexes (migrated by openStore), prepared statement, 1,000 rows per transaction.
  const rawDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-raw-'));
  const store = await openStore({ dataDir: rawDir });
  const org = await store.organizations.ensureDefault();
  await store.close();
  const db = new SQLite(join(rawDir, 'opstrails.db'));
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${mode.toUpperCase()}`);
  const insert = db.prepare(
    `insert into events (org_id, id, source, type, subject, severity, version, time, received_at, datacontenttype, dataschema, data, search_text, size)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rows = Array.from({ length: BATCH * BATCHES }, (_, i) =>
    syntheticEvent(i, BATCH * BATCHES, now, 90, random),
  );
  const insertBatch = db.transaction((batch: typeof rows) => {
    for (const e of batch) {
      insert.run(
        org.id,
        e.id,
        e.source,
        e.type,
        e.subject,
        e.severity,
        e.version,
        e.time,
        now,
        e.datacontenttype,
        null,
        JSON.stringify(e.data),
        e.type,
        e.size,
      );
    }
  });
  const rawStarted = performance.now();
  for (let b = 0; b < BATCHES; b++) insertBatch(rows.slice(b * BATCH, (b + 1) * BATCH));
  const rate = (BATCH * BATCHES) / ((performance.now() - rawStarted) / 1000);
  db.close();
  rmSync(rawDir, { recursive: true, force: true });
  return rate;
}

const single = await singleEvents();
const batch = await batches();
writeSection('ingest', `## Ingest\n\n${single}\n\n${batch}`);
