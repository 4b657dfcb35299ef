/** The metric store: roll-ups keep every aggregate exact across tiers, run twice without double counting, and the plan's retention. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { maintainMetrics } from '../jobs/metric-rollup.js';
import { withMetricTables } from './metric-tables.js';
import { FINE_KEEP_MS, type MetricRepository, metricRepository, RAW_KEEP_MS } from './metrics.js';
import { openStore, type Store } from './store.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2026-06-01T00:30:00Z');
/** Ranges start on the hour: a read aligns its start down to the step. */
const MIDNIGHT = NOW - 30 * 60_000;
const SPACING = 10 * 60_000;
/** 40 days of points every 10 minutes: past both the raw and the 5-minute tiers. */
const FIRST = NOW - 40 * DAY;
const planted = Array.from({ length: (40 * DAY) / SPACING }, (_, i) => ({
  time: FIRST + i * SPACING,
  value: (i % 13) + i / 1000,
}));

function expected(from: number, to: number, step: number) {
  const buckets = new Map<number, number[]>();
  for (const p of planted) {
    if (p.time < from || p.time >= to) continue;
    const b = p.time - (p.time % step);
    buckets.set(b, [...(buckets.get(b) ?? []), p.value]);
  }
  return [...buckets.entries()].map(([time, values]) => ({
    time,
    avg: values.reduce((a, b) => a + b, 0) / values.length,
    min: Math.min(...values),
    max: Math.max(...values),
    count: values.length,
  }));
}

describe.each(ENGINES)('metric store on %s', (engine) => {
  let store: Store;
  let metrics: MetricRepository;
  let orgId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-metrics-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;

  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    metrics = metricRepository(store);
    orgId = (await store.organizations.ensureDefault()).id;
    const points = planted.map((p) => ({ metric: 'error_rate', subject: 'PRODUCTION', source: null, ...p }));
    for (let i = 0; i < points.length; i += 5_000)
      await metrics.ingest(orgId, points.slice(i, i + 5_000), NOW);
  }, 60_000);
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const read = (from: number, to: number, stepMs: number, aggregate?: 'avg' | 'min' | 'max' | 'count') =>
    metrics.readSeries(orgId, {
      metric: 'error_rate',
      subject: 'production',
      source: null,
      from,
      to,
      stepMs,
      aggregate,
    });

  const check = async (from: number, to: number) => {
    const want = expected(from, to, HOUR);
    const avg = await read(from, to, HOUR);
    expect(avg.map((p) => p.time)).toEqual(want.map((w) => w.time));
    for (const [i, p] of avg.entries()) expect(p.value).toBeCloseTo(want[i]?.avg ?? Number.NaN, 9);
    expect((await read(from, to, HOUR, 'min')).map((p) => p.value)).toEqual(want.map((w) => w.min));
    expect((await read(from, to, HOUR, 'max')).map((p) => p.value)).toEqual(want.map((w) => w.max));
    expect((await read(from, to, HOUR, 'count')).map((p) => p.value)).toEqual(want.map((w) => w.count));
  };

  it('rolls raw points up into 5-minute then hourly roll-ups, keeping hourly aggregates exact, twice over', async () => {
    const ranges: [number, number][] = [
      [MIDNIGHT - 39 * DAY, MIDNIGHT - 38 * DAY], // the hourly tier
      [MIDNIGHT - 20 * DAY, MIDNIGHT - 19 * DAY], // the 5-minute tier
      [MIDNIGHT - RAW_KEEP_MS - 6 * HOUR, MIDNIGHT - RAW_KEEP_MS + 6 * HOUR], // across the raw boundary
    ];
    for (const [from, to] of ranges) await check(from, to);
    const before = await Promise.all(ranges.map(([from, to]) => read(from, to, HOUR)));

    for (let run = 0; run < 2; run++) {
      const result = await maintainMetrics(store, NOW);
      if (run === 0) expect(result).toEqual({ raw: 1, fine: 1 });
      else expect(result).toEqual({ raw: 0, fine: 0 });
      for (const [from, to] of ranges) await check(from, to);
    }
    expect(await Promise.all(ranges.map(([from, to]) => read(from, to, HOUR)))).toEqual(before);

    const db = withMetricTables(store.db);
    const rawCutoff = NOW - RAW_KEEP_MS - ((NOW - RAW_KEEP_MS) % HOUR);
    const oldRaw = await db
      .selectFrom('metric_points')
      .select('time')
      .where('time', '<', rawCutoff)
      .execute();
    expect(oldRaw).toEqual([]);
    const tiers = await db
      .selectFrom('metric_rollups')
      .select(['step_ms', (eb) => eb.fn.min('time').as('first'), (eb) => eb.fn.max('time').as('last')])
      .groupBy('step_ms')
      .orderBy('step_ms')
      .execute();
    const fineCutoff = NOW - FINE_KEEP_MS - ((NOW - FINE_KEEP_MS) % HOUR);
    expect(tiers.map((t) => [Number(t.step_ms), Number(t.first) >= FIRST - HOUR, Number(t.last)])).toEqual([
      [5 * 60_000, true, rawCutoff - SPACING],
      [HOUR, true, fineCutoff - HOUR],
    ]);
  });

  it('answers a fine step over rolled-up time at the roll-up step', async () => {
    const from = MIDNIGHT - 20 * DAY;
    const fine = await read(from, from + HOUR, 60_000);
    // 5-minute roll-ups: one bucket per planted point (every 10 minutes).
    expect(fine.map((p) => p.time)).toEqual(Array.from({ length: 6 }, (_, i) => from + i * SPACING));
  });

  it("applies the plan's retention to points, roll-ups and series", async () => {
    const other = await store.organizations.create(`retained-${engine}`, 'Retained', 'free');
    await metrics.ingest(other.id, [
      { metric: 'old_only', subject: 'P', source: null, time: NOW - 10 * DAY, value: 1 },
      { metric: 'mixed', subject: 'P', source: null, time: NOW - 10 * DAY, value: 1 },
      { metric: 'mixed', subject: 'P', source: null, time: NOW - DAY, value: 2 },
    ]);
    await maintainMetrics(store, NOW);
    expect((await metrics.listSeries(other.id)).map((s) => s.metric)).toEqual(['mixed']);
    const all = await metrics.readSeries(other.id, {
      metric: 'mixed',
      subject: 'P',
      source: null,
      from: NOW - 30 * DAY,
      to: NOW,
      stepMs: DAY,
    });
    expect(all.map((p) => p.value)).toEqual([2]);
    // The unlimited plan keeps everything.
    expect(await read(MIDNIGHT - 39 * DAY, MIDNIGHT - 39 * DAY + HOUR, HOUR, 'count')).toEqual([
      { time: MIDNIGHT - 39 * DAY, value: 6 },
    ]);
  });
});
