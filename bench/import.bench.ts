/**
 * `opstrails import` of 1,000,000 events from an NDJSON file into a server on SQLite: events/s
 * and the peak RSS of the CLI process (it streams the file and sends batches, so memory must
 * stay flat), beside the server's own ceiling for the same events (pre-serialized 1,000-event
 * batches POSTed without the CLI) and a re-run over the file's first events (already stored).
 */
import { spawn } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { fmt, writeSection } from './lib/results.js';
import { rng, syntheticEvent } from './lib/seed.js';
import { BIN, createKey, type ServerProcess, startServerProcess } from './lib/server-process.js';

const N = Number(process.env.BENCH_IMPORT_EVENTS ?? 1_000_000);
const CEILING_EVENTS = Math.min(N, 200_000);
/** The re-run (every event already stored) covers a slice: the server's duplicate path is far slower. */
const RERUN_EVENTS = Math.min(N, 20_000);
const BATCH = 1_000;
const CONCURRENCY = 4;

/** The NDJSON file of N events (ids included), written once to bench/.data and reused. */
async function importFile(): Promise<string> {
  const dir = fileURLToPath(new URL('./.data/', import.meta.url));
  const file = `${dir}import-${N}.ndjson`;
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  process.stdout.write(`writing ${fmt(N)} events to ${file} (once; reused by later runs)\n`);
  const out = createWriteStream(`${file}.partial`);
  const random = rng(7);
  const end = Date.UTC(2026, 0, 1);
  for (let i = 0; i < N; i++) {
    const { size: _size, time, ...event } = syntheticEvent(i, N, end, 90, random);
    const line = `${JSON.stringify({ specversion: '1.0', ...event, time: new Date(time).toISOString() })}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  renameSync(`${file}.partial`, file);
  return file;
}

interface CliRun {
  seconds: number;
  peakMiB: number;
}

/** Runs the built `opstrails import`, sampling its peak RSS from /proc until it exits. */
function runImport(file: string, url: string, key: string): Promise<CliRun> {
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'import', file, '--url', url, '--api-key', key], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let peakKiB = 0;
  const sample = () => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
      peakKiB = Math.max(peakKiB, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
    } catch {
      // The process has just exited; the last sample stands.
    }
  };
  const timer = setInterval(sample, 50);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      clearInterval(timer);
      if (code !== 0) reject(new Error(`opstrails import exited with ${code}`));
      else resolve({ seconds: (performance.now() - started) / 1000, peakMiB: peakKiB / 1024 });
    });
  });
}

/** The server alone: the file's first events as ready-made 1,000-event bodies, CONCURRENCY in flight. */
async function serverCeiling(file: string, url: string, key: string): Promise<number> {
  const lines = readFileSync(file, 'utf8').split('\n', CEILING_EVENTS);
  const bodies: string[] = [];
  for (let i = 0; i < lines.length; i += BATCH) bodies.push(`[${lines.slice(i, i + BATCH).join(',')}]`);
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++] as string;
        const res = await fetch(`${url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body,
        });
        if (!res.ok) throw new Error(`ceiling batch failed: ${res.status} ${await res.text()}`);
        await res.arrayBuffer();
      }
    }),
  );
  return lines.length / ((performance.now() - started) / 1000);
}

function countEvents(dataDir: string): number {
  const db = new SQLite(join(dataDir, 'opstrails.db'), { readonly: true });
  try {
    return (db.prepare('select count(*) as n from events').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

const file = await importFile();
const importDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-import-'));
const ceilingDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-ceiling-'));
const servers: ServerProcess[] = [];
try {
  const importKey = createKey(importDir);
  const server = await startServerProcess(importDir);
  servers.push(server);
  const first = await runImport(file, server.url, importKey);
  const stored = countEvents(importDir);
  const slice = join(importDir, 'rerun.ndjson');
  writeFileSync(slice, `${readFileSync(file, 'utf8').split('\n', RERUN_EVENTS).join('\n')}\n`);
  const again = await runImport(slice, server.url, importKey);
  const afterAgain = countEvents(importDir);
  const serverPeak = server.memory().peakMiB;
  await server.stop();
  if (stored !== N || afterAgain !== N)
    throw new Error(`expected ${N} stored events, found ${stored} then ${afterAgain}`);

  const ceilingKey = createKey(ceilingDir);
  const ceilingServer = await startServerProcess(ceilingDir);
  servers.push(ceilingServer);
  const ceiling = await serverCeiling(file, ceilingServer.url, ceilingKey);
  await ceilingServer.stop();

  const rate = N / first.seconds;
  writeSection(
    'import',
    `## Import

\`npm run build && npm run bench -- import\`: \`opstrails import\` (the built CLI, defaults: batches of
${fmt(BATCH)}, ${CONCURRENCY} in flight) of ${fmt(N)} events from an NDJSON file of ${fmt(
      readFileSync(file).length / 2 ** 20,
    )} MiB into a fresh server on SQLite (its own process); then the file's first ${fmt(RERUN_EVENTS)} events again,
every one already stored. Ceiling: the server alone, ${fmt(CEILING_EVENTS)} of the same events POSTed as
pre-serialized ${fmt(BATCH)}-event bodies, ${CONCURRENCY} in flight, no CLI.

| run | events | seconds | events/s | CLI peak RSS |
| --- | ---: | ---: | ---: | ---: |
| \`opstrails import\`, fresh server | ${fmt(N)} | ${fmt(first.seconds, 1)} | ${fmt(rate)} | ${fmt(first.peakMiB)} MiB |
| \`opstrails import\` again (all already stored) | ${fmt(RERUN_EVENTS)} | ${fmt(again.seconds, 1)} | ${fmt(RERUN_EVENTS / again.seconds)} | ${fmt(again.peakMiB)} MiB |
| server ceiling (no CLI) | ${fmt(CEILING_EVENTS)} | ${fmt(CEILING_EVENTS / ceiling, 1)} | ${fmt(ceiling)} | - |

Target: at least 20,000 events/s on SQLite (**${rate >= 20_000 ? 'met' : 'not met'}**: ${fmt(rate)}/s, ${fmt(
      (rate / ceiling) * 100,
    )}% of the server's ceiling). Stored afterwards: ${fmt(afterAgain)} events, no duplicates.
Server peak RSS during the imports: ${fmt(serverPeak)} MiB. Other engineers' work may have been
loading the same 2-core machine during the run.`,
  );
} finally {
  for (const server of servers) {
    if (server.child.exitCode === null && server.child.signalCode === null) await server.stop();
  }
  rmSync(importDir, { recursive: true, force: true });
  rmSync(ceilingDir, { recursive: true, force: true });
}
