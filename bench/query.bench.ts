/**
 * Query latency on a large timeline: `GET /api/v1/events` with a type + subject filter against a
 * SQLite store of 1,000,000 events over 90 days, one request at a time, measured at the client.
 * Also the server's memory with that store.
 */
import { fmt, percentile, writeSection } from './lib/results.js';
import { SUBJECTS, seededDataDir, TYPES } from './lib/seed.js';
import { createKey, startServerProcess } from './lib/server-process.js';

const EVENTS = 1_000_000;
const WARMUP = 200;
const REQUESTS = 3_000;

const dir = await seededDataDir(EVENTS);
const key = createKey(dir, 'READ_ONLY');
const server = await startServerProcess(dir);

const combos = TYPES.flatMap(([type]) => SUBJECTS.map((subject) => ({ type, subject })));
const latencies: number[] = [];
let returned = 0;
for (let i = 0; i < WARMUP + REQUESTS; i++) {
  const { type, subject } = combos[i % combos.length] as { type: string; subject: string };
  const started = performance.now();
  const res = await fetch(`${server.url}/api/v1/events?type=${type}&subject=${subject}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  const body = (await res.json()) as { data: { events: unknown[] } };
  const elapsed = performance.now() - started;
  if (res.status !== 200) throw new Error(`query failed with ${res.status}`);
  if (i >= WARMUP) {
    latencies.push(elapsed);
    returned += body.data.events.length;
  }
}
const memory = server.memory();
await server.stop();
latencies.sort((a, b) => a - b);

writeSection(
  'query',
  `## Query

\`npm run bench -- query\`: \`GET /api/v1/events?type=<t>&subject=<s>\` (default page of 25) against a SQLite store of
${fmt(EVENTS)} events spread over 90 days (10 sources, 10 subjects, 10 types with deployment at 40% and cert-rotation at 1%),
${fmt(REQUESTS)} requests one at a time after ${WARMUP} warm-up requests, cycling through all ${combos.length} type x subject pairs
(${fmt(returned / REQUESTS, 1)} events returned per request on average). Latency measured at the client, over HTTP.

| p50 | p99 | max |
| ---: | ---: | ---: |
| ${fmt(percentile(latencies, 50), 2)} ms | ${fmt(percentile(latencies, 99), 2)} ms | ${fmt(latencies[latencies.length - 1] ?? 0, 2)} ms |

Target: p99 under 20 ms. Server memory with this store after the run: RSS ${fmt(memory.rssMiB)} MiB (peak ${fmt(memory.peakMiB)} MiB).`,
);
