/**
 * Metric point ingest: `POST /api/v1/metrics/webhook` over real HTTP (5,000 points per request,
 * one client and four at once) against plain multi-row INSERTs of the same points into the same
 * table (`metric_points`, 1,000 rows per statement, 5,000 per transaction), in the same run, on
 * SQLite and (when OPSTRAILS_TEST_DATABASE_URL is set) PostgreSQL. The difference is what the
 * webhook adds: HTTP, JSON, validation per point, series resolution and the upsert.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type RunningServer, startServer } from '@opstrails/server';
import type { Kysely } from 'kysely';
import pg from 'pg';
import { fmt, writeSection } from './lib/results.js';

const PG_URL = process.env.OPSTRAILS_TEST_DATABASE_URL;
const PER_REQUEST = 5_000;
const REQUESTS = 40;
const SERIES = 50;
const T0 = Date.parse('2026-01-01T00:00:00Z');

interface Row {
  engine: string;
  webhook1: number;
  webhook4: number;
  raw: number;
}

/** Request `r`'s points: SERIES series, consecutive minutes, distinct across requests of a run. */
function body(run: number, r: number): string {
  const points: Record<string, unknown>[] = [];
  const perSeries = PER_REQUEST / SERIES;
  for (let s = 0; s < SERIES; s++) {
    for (let k = 0; k < perSeries; k++) {
      const minute = (run * REQUESTS + r) * perSeries + k;
      points.push({
        metric: `bench.metric_${s % 10}`,
        subject: s < 25 ? 'PRODUCTION' : 'STAGING',
        source: `service-${s}`,
        time: (T0 + minute * 60_000) / 1000,
        value: Math.sin(minute) * 100,
      });
    }
  }
  return JSON.stringify(points);
}

async function webhook(server: RunningServer, key: string, run: number, clients: number): Promise<number> {
  const bodies = Array.from({ length: REQUESTS }, (_, r) => body(run, r));
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < bodies.length) {
        const payload = bodies[next++] as string;
        const res = await fetch(`${server.url}/api/v1/metrics/webhook`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: payload,
        });
        const answer = (await res.json()) as { data?: { accepted: number } };
        if (answer.data?.accepted !== PER_REQUEST)
          throw new Error(`webhook answered ${JSON.stringify(answer).slice(0, 300)}`);
      }
    }),
  );
  return (REQUESTS * PER_REQUEST) / ((performance.now() - started) / 1000);
}

/** The same number of points as plain INSERTs into metric_points, for series the webhook created. */
async function rawInserts(server: RunningServer): Promise<number> {
  // biome-ignore lint/suspicious/noExplicitAny: the metric tables are typed inside the server package
  const db = server.store.db as unknown as Kysely<any>;
  const ids = (await db.selectFrom('metric_series').select('id').execute()).map((r) => Number(r.id));
  const perSeries = PER_REQUEST / ids.length;
  const started = performance.now();
  for (let r = 0; r < REQUESTS; r++) {
    const rows: { series_id: number; time: number; value: number }[] = [];
    for (const id of ids) {
      for (let k = 0; k < perSeries; k++) {
        const minute = (10 * REQUESTS + r) * perSeries + k;
        rows.push({ series_id: id, time: T0 + minute * 60_000, value: Math.sin(minute) * 100 });
      }
    }
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < rows.length; i += 1_000)
        await trx
          .insertInto('metric_points')
          .values(rows.slice(i, i + 1_000))
          .execute();
    });
  }
  return (REQUESTS * PER_REQUEST) / ((performance.now() - started) / 1000);
}

async function measure(engine: 'sqlite' | 'postgres'): Promise<Row> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-metrics-'));
  const schema = engine === 'postgres' ? `bench_metrics_${randomBytes(4).toString('hex')}` : undefined;
  const config = loadConfig(
    { OPSTRAILS_LOG_LEVEL: 'silent' },
    { host: '127.0.0.1', port: 0, dataDir, databaseUrl: engine === 'postgres' ? PG_URL : undefined },
  );
  const server = await startServer(config, { pgSchema: schema });
  try {
    const key = (await server.store.apiKeys.create(server.defaultOrg.id, 'bench', 'READ_WRITE')).key;
    await webhook(server, key, 9, 1); // warm-up: series created, code paths compiled
    const webhook1 = await webhook(server, key, 0, 1);
    const webhook4 = await webhook(server, key, 1, 4);
    const raw = await rawInserts(server);
    return { engine, webhook1, webhook4, raw };
  } finally {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (schema) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    }
  }
}

const rows: Row[] = [await measure('sqlite')];
if (PG_URL) rows.push(await measure('postgres'));
const table = rows
  .map(
    (r) =>
      `| ${r.engine} | ${fmt(r.webhook1)} | ${fmt(r.webhook4)} | ${fmt(r.raw)} | ${fmt(r.webhook4 / r.raw, 2)} |`,
  )
  .join('\n');
writeSection(
  'metrics',
  `## Metric points: webhook against raw inserts

\`npm run bench -- metrics\` (PostgreSQL too when OPSTRAILS_TEST_DATABASE_URL is set).
${fmt(REQUESTS * PER_REQUEST)} points per measurement, ${fmt(PER_REQUEST)} per request, ${SERIES} series,
on a server already holding one warm-up round. Raw: multi-row INSERTs of (series_id, time, value)
into the same \`metric_points\` table, 1,000 rows per statement, ${fmt(PER_REQUEST)} per transaction.

| engine | webhook, 1 client (points/s) | webhook, 4 clients (points/s) | raw INSERT (points/s) | webhook (4) / raw |
| --- | ---: | ---: | ---: | ---: |
${table}`,
);
