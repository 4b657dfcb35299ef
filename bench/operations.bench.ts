/**
 * What the operating features of issue 18 cost per request, in process (Fastify's `inject`: the
 * whole request lifecycle, hooks included, no sockets), so a loaded shared machine blurs it less
 * than HTTP runs would: a server (SQLite, from the sources) answers the same `/api/` request
 * (`GET /api/v1/events?limit=1` with a key, an empty organization) with
 * `OPSTRAILS_RATE_LIMIT` off and set so high that it counts every request and refuses none,
 * alternately; `GET /metrics` is rendered after ingest; and with `OPSTRAILS_RATE_LIMIT=200`, 1,000
 * requests sent at once from one address are answered 200 at most and 429 for the rest.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../packages/server/src/config.js';
import { type RunningServer, startServer } from '../packages/server/src/server.js';
import { fmt, percentile, writeSection } from './lib/results.js';

const REQUESTS = 10_000;
const LIMIT = 200;

async function withServer<T>(env: NodeJS.ProcessEnv, use: (server: RunningServer) => Promise<T>): Promise<T> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-operations-'));
  const server = await startServer(
    loadConfig({ OPSTRAILS_LOG_LEVEL: 'silent', ...env }, { host: '127.0.0.1', port: 0, dataDir }),
  );
  try {
    return await use(server);
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** µs per request over REQUESTS sequential injected requests (after a warm-up). */
async function perRequest(server: RunningServer): Promise<number> {
  const key = (await server.store.apiKeys.create(server.defaultOrg.id, 'bench', 'READ_ONLY')).key;
  const one = () =>
    server.app.inject({
      method: 'GET',
      url: '/api/v1/events?limit=1',
      headers: { authorization: `Bearer ${key}` },
      remoteAddress: '127.0.0.1',
    });
  for (let i = 0; i < 2_000; i++) await one();
  const started = performance.now();
  for (let i = 0; i < REQUESTS; i++) {
    const res = await one();
    if (res.statusCode !== 200) throw new Error(`expected 200, got ${res.statusCode}`);
  }
  return ((performance.now() - started) * 1_000) / REQUESTS;
}

const loadAtStart = loadavg()[0] ?? 0;
const off: number[] = [];
const on: number[] = [];
// Alternating, three times each: neighbouring runs share the machine's load best.
for (let round = 0; round < 3; round++) {
  off.push(await withServer({}, perRequest));
  on.push(await withServer({ OPSTRAILS_RATE_LIMIT: '1000000' }, perRequest));
}

const scrape = await withServer({}, async (server) => {
  const key = (await server.store.apiKeys.create(server.defaultOrg.id, 'bench', 'READ_WRITE')).key;
  const events = Array.from({ length: 1_000 }, (_, i) => ({
    specversion: '1.0',
    type: 'deployment',
    source: ['BE', 'FE', 'DB'][i % 3],
    subject: 'PRODUCTION',
    version: `v${i}`,
    time: 'NOW',
  }));
  const sent = await server.app.inject({
    method: 'POST',
    url: '/api/v1/events',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    payload: JSON.stringify(events),
  });
  if (sent.statusCode !== 200) throw new Error(`ingest answered ${sent.statusCode}`);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 200; i++) {
    const t = performance.now();
    const res = await server.app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
    times.push(performance.now() - t);
    if (res.statusCode !== 200) throw new Error(`/metrics answered ${res.statusCode}`);
    bytes = res.body.length;
  }
  return { times: times.sort((a, b) => a - b), bytes };
});

const burst = await withServer({ OPSTRAILS_RATE_LIMIT: String(LIMIT) }, async (server) => {
  const answers = await Promise.all(
    Array.from({ length: 1_000 }, () =>
      server.app.inject({ method: 'GET', url: '/api/v1/events', remoteAddress: '127.0.0.9' }),
    ),
  );
  const limited = answers.filter((r) => r.statusCode === 429);
  return {
    passed: answers.filter((r) => r.statusCode === 401).length,
    limited: limited.length,
    retryAfter: limited[0]?.headers['retry-after'],
  };
});

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );
const cost = median(on) - median(off);
const list = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');

writeSection(
  'operations',
  `## Operating it: rate limiter and /metrics, per request

\`npm run bench -- operations\`: in process, through Fastify's \`inject\` (the whole request lifecycle with every hook,
no sockets, so the shared machine's load blurs it less than HTTP runs do), on SQLite from the sources. ${fmt(REQUESTS)}
requests \`GET /api/v1/events?limit=1\` with a READ_ONLY key (an empty organization), one after another, per run;
runs alternate, three each.

| | µs per request (each run) | median |
| --- | --- | ---: |
| \`OPSTRAILS_RATE_LIMIT\` unset | ${list(off)} | ${median(off).toFixed(1)} |
| \`OPSTRAILS_RATE_LIMIT=1000000\` (every request counted, none refused) | ${list(on)} | ${median(on).toFixed(1)} |

The limiter's cost on SQLite (counters in memory): **${cost.toFixed(1)} µs per request** (difference of the medians; runs
of the same setting differ by ${(Math.max(...off) - Math.min(...off)).toFixed(1)} µs, so read it as "within noise" when smaller).
On PostgreSQL every instance counts in the \`rate_limits\` table (one upsert per request), not measured here: this
session's rule is no write-heavy benchmarks on the shared PostgreSQL.

\`GET /metrics\` after 1,000 events stored (${fmt(scrape.bytes)} bytes of Prometheus text), 200 scrapes: p50
**${percentile(scrape.times, 50).toFixed(1)} ms**, p99 ${percentile(scrape.times, 99).toFixed(1)} ms.

The limiter at work, \`OPSTRAILS_RATE_LIMIT=${LIMIT}\`, 1,000 requests at once from one address: **${burst.passed} passed**
(the limit: ${LIMIT} per second), ${burst.limited} answered 429 \`RATE_LIMITED\` with \`Retry-After: ${burst.retryAfter}\`.
Load average when the run started: ${loadAtStart.toFixed(1)} (other work on the machine shares its 2 cores).`,
);
