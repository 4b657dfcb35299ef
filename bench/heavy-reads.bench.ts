/**
 * Heavy reads against ingest on SQLite: single-event ingest rate and `/healthz` latency while 4
 * clients export the whole timeline over and over and 20 clients send maximum-length searches,
 * against the same server idle, on a store of 200,000 events. Run once with the reader threads
 * (the default) and once with every read on the main connection (OPSTRAILS_SQLITE_READERS=0).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIMITS } from '@opstrails/core';
import autocannon from 'autocannon';
import { fmt, percentile, writeSection } from './lib/results.js';
import { seededDataDir } from './lib/seed.js';
import { createKey, startServerProcess } from './lib/server-process.js';

const EVENTS = 200_000;
const DURATION_S = 15;
const EXPORTS = 4;
const SEARCHES = 20;
const INGEST_CONNECTIONS = 10;
const HEALTH_EVERY_MS = 20;

interface Phase {
  ingestRate: number;
  ingestErrors: number;
  health: number[];
  healthFailures: number;
  exportedEvents: number;
  searches: number;
  readFailures: number;
}

/** Matches nothing, so every search scans the whole timeline; as long as the API allows. */
const SEARCH = 'zq'.repeat(LIMITS.searchMax / 2);

/** Reads an NDJSON export to its end, counting its lines (events) as they arrive. */
async function drain(res: Response, count: (lines: number) => void): Promise<void> {
  for await (const chunk of res.body as AsyncIterable<Uint8Array>) {
    let lines = 0;
    for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    count(lines);
  }
}

async function phase(url: string, key: string, heavy: boolean): Promise<Phase> {
  const auth = { authorization: `Bearer ${key}` };
  let running = true;
  // Ends the exports and searches under way when the measured period is over.
  const stop = new AbortController();
  const result: Phase = {
    ingestRate: 0,
    ingestErrors: 0,
    health: [],
    healthFailures: 0,
    exportedEvents: 0,
    searches: 0,
    readFailures: 0,
  };

  const healthProbe = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(`${url}/healthz`);
        await res.arrayBuffer();
        if (res.status === 200) result.health.push(performance.now() - started);
        else result.healthFailures++;
      } catch {
        result.healthFailures++;
      }
      await new Promise((resolve) => setTimeout(resolve, HEALTH_EVERY_MS));
    }
  })();

  /** Runs `request` over and over until the period ends; a failure during it counts as an error. */
  const loop = async (request: () => Promise<void>) => {
    while (running) {
      try {
        await request();
      } catch (error) {
        if (running) throw error;
      }
    }
  };
  const readers: Promise<void>[] = [];
  if (heavy) {
    for (let i = 0; i < EXPORTS; i++) {
      readers.push(
        loop(async () => {
          const res = await fetch(`${url}/api/v1/events/export?format=ndjson`, {
            headers: auth,
            signal: stop.signal,
          });
          if (res.status !== 200) result.readFailures++;
          await drain(res, (lines) => {
            if (running) result.exportedEvents += lines;
          });
        }),
      );
    }
    for (let i = 0; i < SEARCHES; i++) {
      readers.push(
        loop(async () => {
          const res = await fetch(`${url}/api/v1/events?limit=${LIMITS.queryLimitMax}&search=${SEARCH}`, {
            headers: auth,
            signal: stop.signal,
          });
          await res.arrayBuffer();
          if (res.status === 200) result.searches++;
          else result.readFailures++;
        }),
      );
    }
  }

  // No id: the server gives each event its own, so every request stores a new event.
  const event = {
    specversion: '1.0',
    type: 'deployment',
    source: 'BENCH',
    subject: 'PRODUCTION',
    time: 'NOW',
  };
  const ingest = await autocannon({
    url: `${url}/api/v1/events`,
    connections: INGEST_CONNECTIONS,
    duration: DURATION_S,
    method: 'POST',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify(event),
  });
  running = false;
  stop.abort();
  for (const outcome of await Promise.allSettled(readers))
    if (outcome.status === 'rejected') result.readFailures++;
  await healthProbe;
  result.ingestRate = ingest['2xx'] / DURATION_S;
  result.ingestErrors = ingest.non2xx + ingest.errors;
  result.health.sort((a, b) => a - b);
  return result;
}

async function run(seeded: string, readers: number): Promise<{ idle: Phase; loaded: Phase }> {
  const dir = mkdtempSync(join(tmpdir(), 'opstrails-bench-heavy-'));
  cpSync(seeded, dir, { recursive: true });
  const key = createKey(dir);
  const server = await startServerProcess(dir, { OPSTRAILS_SQLITE_READERS: String(readers) });
  try {
    const idle = await phase(server.url, key, false);
    const loaded = await phase(server.url, key, true);
    return { idle, loaded };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const row = (label: string, p: Phase) =>
  `| ${label} | ${fmt(p.ingestRate)} | ${fmt(percentile(p.health, 50), 1)} ms | ${fmt(percentile(p.health, 99), 1)} ms | ${fmt(p.health[p.health.length - 1] ?? 0, 1)} ms | ${fmt(p.exportedEvents)} | ${fmt(p.searches)} | ${p.ingestErrors + p.healthFailures + p.readFailures} |`;

const seeded = await seededDataDir(EVENTS);
const pooled = await run(seeded, 2);
const inline = await run(seeded, 0);

writeSection(
  'heavy-reads',
  `## Heavy reads against ingest

\`npm run build && npm run bench -- heavy-reads\`: a SQLite store of ${fmt(EVENTS)} events (90 days), the built
server in its own process. For ${DURATION_S} s, ${INGEST_CONNECTIONS} connections POST single events (autocannon) while
\`/healthz\` is asked every ${HEALTH_EVERY_MS} ms; idle, then with ${EXPORTS} clients exporting the whole timeline
(\`/api/v1/events/export?format=ndjson\`, over and over) and ${SEARCHES} clients sending the longest search the
API allows (${fmt(LIMITS.searchMax)} characters, \`limit=${LIMITS.queryLimitMax}\`, matching nothing, so each scans every event).
Reader threads: the default (\`OPSTRAILS_SQLITE_READERS=2\`), and \`0\` (every read on the main connection, as before).

| run | ingest events/s | \`/healthz\` p50 | p99 | max | events exported | searches answered | errors |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
${row('2 reader threads, idle', pooled.idle)}
${row('2 reader threads, heavy reads', pooled.loaded)}
${row('no reader threads, idle', inline.idle)}
${row('no reader threads, heavy reads', inline.loaded)}

Load generator, server and its threads share the machine's cores; load average at the end: ${loadavg()[0]?.toFixed(1)}.`,
);
