/**
 * The metric store (migration 014): pushed points per series, their roll-ups, and reads that
 * aggregate either to a step. A series is (organization, metric, subject, source); `source` ''
 * means the points speak for the whole subject.
 *
 * Tiers: raw points are kept RAW_KEEP_MS (8 days: the impact method's seasonality baseline needs
 * last week at full resolution), then folded into 5-minute roll-ups, which after
 * FINE_KEEP_MS are folded into hourly ones; the plan's retention deletes all three. A roll-up
 * keeps count, sum, min and max, so every aggregate of a coarser step stays exact.
 */
import { createHash } from 'node:crypto';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Engine } from './engine.js';
import { foldCase } from './fold-case.js';
import { type MetricDatabase, withMetricTables } from './metric-tables.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';
import { type WriteTransaction, writeTransaction } from './write-transaction.js';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
export const RAW_KEEP_MS = 8 * DAY_MS;
export const FINE_STEP_MS = 5 * MINUTE_MS;
export const FINE_KEEP_MS = 32 * DAY_MS;
export const COARSE_STEP_MS = HOUR_MS;
/** Rows per INSERT statement (3 parameters each, well under both engines' limits). */
const INSERT_CHUNK = 1_000;

export interface MetricPoint {
  metric: string;
  subject: string;
  /** null: the point speaks for the whole subject. */
  source: string | null;
  time: number;
  value: number;
}

export type Aggregate = 'avg' | 'min' | 'max' | 'sum' | 'count' | 'last';
export const AGGREGATES: readonly Aggregate[] = ['avg', 'min', 'max', 'sum', 'count', 'last'];

export interface SeriesQuery {
  metric: string;
  subject: string;
  source: string | null;
  from: number;
  to: number;
  stepMs: number;
  aggregate?: Aggregate;
}

export interface PushedSeries {
  metric: string;
  subject: string;
  source: string | null;
  lastPointAt: number;
}

export interface MetricSettings {
  direction: string | null;
  unit: string | null;
}

interface Bucket {
  count: number;
  sum: number;
  min: number;
  max: number;
  /** The value of the newest raw point in the bucket (roll-ups have none: their mean stands in). */
  last: number;
  lastTime: number;
}

const seriesKey = (metric: string, subject: string, source: string) =>
  createHash('sha256')
    .update(JSON.stringify([metric, subject, source]))
    .digest('hex');

export class MetricRepository {
  private readonly db: Kysely<MetricDatabase>;
  private readonly reads: Kysely<MetricDatabase>;
  private readonly transaction: WriteTransaction;

  constructor(
    db: Kysely<Database>,
    private readonly engine: Engine,
  ) {
    this.db = withMetricTables(db);
    // Metric reads are index range scans of one series at a time: the main connection serves them.
    this.reads = this.db;
    this.transaction = writeTransaction(db, engine);
  }

  /**
   * Stores points; a point whose series and time are already stored replaces its value (the
   * last one wins, within a batch too). One transaction: all or nothing.
   */
  async ingest(orgId: string, points: readonly MetricPoint[], now = Date.now()): Promise<void> {
    if (points.length === 0) return;
    // Last write wins inside the batch: PostgreSQL refuses to update one row twice in a statement.
    const bySeries = new Map<string, { point: MetricPoint; times: Map<number, number> }>();
    for (const point of points) {
      const key = seriesKey(point.metric, point.subject, point.source ?? '');
      let entry = bySeries.get(key);
      if (!entry) {
        entry = { point, times: new Map() };
        bySeries.set(key, entry);
      }
      entry.times.delete(point.time);
      entry.times.set(point.time, point.value);
    }
    const least = this.engine === 'postgres' ? 'least' : 'min';
    const greatest = this.engine === 'postgres' ? 'greatest' : 'max';
    await this.transaction(async (trx) => {
      const db = withMetricTables(trx);
      const ids = new Map<string, number>();
      // In key order, and the points below in (series, time) order: two requests touching the same
      // rows lock them in the same order, so on PostgreSQL they wait for each other, never deadlock.
      const entries = [...bySeries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      for (let i = 0; i < entries.length; i += INSERT_CHUNK / 4) {
        const rows = entries.slice(i, i + INSERT_CHUNK / 4).map(([key, { point, times }]) => {
          const stamps = [...times.keys()];
          return {
            org_id: orgId,
            key,
            metric: point.metric,
            subject: point.subject,
            source: point.source ?? '',
            subject_lower: foldCase(point.subject),
            source_lower: foldCase(point.source ?? ''),
            raw_from: Math.min(...stamps),
            last_point_at: Math.max(...stamps),
            created_at: now,
          };
        });
        const stored = await db
          .insertInto('metric_series')
          .values(rows)
          .onConflict((oc) =>
            oc.columns(['org_id', 'key']).doUpdateSet({
              raw_from: sql`${sql.raw(least)}(metric_series.raw_from, excluded.raw_from)`,
              last_point_at: sql`${sql.raw(greatest)}(metric_series.last_point_at, excluded.last_point_at)`,
            }),
          )
          .returning(['id', 'key'])
          .execute();
        for (const row of stored) ids.set(row.key, Number(row.id));
      }
      const values: { series_id: number; time: number; value: number }[] = [];
      for (const [key, { times }] of bySeries) {
        const seriesId = ids.get(key) as number;
        for (const [time, value] of times) values.push({ series_id: seriesId, time, value });
      }
      values.sort((a, b) => a.series_id - b.series_id || a.time - b.time);
      for (let i = 0; i < values.length; i += INSERT_CHUNK) {
        await db
          .insertInto('metric_points')
          .values(values.slice(i, i + INSERT_CHUNK))
          .onConflict((oc) => oc.columns(['series_id', 'time']).doUpdateSet({ value: sql`excluded.value` }))
          .execute();
      }
    });
  }

  /** Every pushed series of the organization, by metric name then subject and source. */
  async listSeries(orgId: string, metric?: string): Promise<PushedSeries[]> {
    let query = this.reads
      .selectFrom('metric_series')
      .select(['metric', 'subject', 'source', 'last_point_at'])
      .where('org_id', '=', orgId);
    if (metric !== undefined) query = query.where('metric', '=', metric);
    const rows = await query.orderBy('metric').orderBy('subject').orderBy('source').execute();
    return rows.map((r) => ({
      metric: r.metric,
      subject: r.subject,
      source: r.source === '' ? null : r.source,
      lastPointAt: Number(r.last_point_at),
    }));
  }

  /**
   * The pushed series that speak for an event on `subject` from `source` (any case): the
   * subject's series without a source and, when a source is given, those of that source.
   */
  async seriesFor(orgId: string, subject: string, source: string | null): Promise<PushedSeries[]> {
    const sources = source === null ? [''] : ['', foldCase(source)];
    const rows = await this.reads
      .selectFrom('metric_series')
      .select(['metric', 'subject', 'source', 'last_point_at'])
      .where('org_id', '=', orgId)
      .where('subject_lower', '=', foldCase(subject))
      .where('source_lower', 'in', sources)
      .orderBy('metric')
      .orderBy('source')
      .execute();
    return rows.map((r) => ({
      metric: r.metric,
      subject: r.subject,
      source: r.source === '' ? null : r.source,
      lastPointAt: Number(r.last_point_at),
    }));
  }

  /**
   * The points of one series (subject and source matched in any case) from `from` (inclusive)
   * to `to` (exclusive), one per step that has data, each at its step's start (a multiple of
   * the step since the epoch). Rolled-up ranges answer at their roll-up's step when it is
   * coarser than the one asked for.
   */
  async readSeries(orgId: string, q: SeriesQuery): Promise<{ time: number; value: number }[]> {
    const step = q.stepMs;
    const from = q.from - (((q.from % step) + step) % step);
    const aggregate = q.aggregate ?? 'avg';
    const series = sql<{
      id: number;
    }>`select id from metric_series where org_id = ${orgId} and metric = ${q.metric}
      and subject_lower = ${foldCase(q.subject)} and source_lower = ${foldCase(q.source ?? '')}`;
    // Only the columns the aggregate needs (count and sum always): on SQLite each one more costs
    // about a tenth of a millisecond per day of minute points, and an impact reads eight series.
    const columns = (count: string, sum: string, min: string, max: string) =>
      sql.raw(
        [
          `${count} as n, ${sum} as s`,
          ...(aggregate === 'min' || aggregate === 'max' ? [`${min} as lo, ${max} as hi`] : []),
          ...(aggregate === 'last' ? ['max(time) as t'] : []),
        ].join(', '),
      );
    const rollups = (tier: number, rollupStep: number) => {
      const bucketStep = Math.max(step, rollupStep);
      return sql`
        select ${sql.lit(tier)}, time - time % ${bucketStep}, ${columns('sum(count)', 'sum(sum)', 'min(min)', 'max(max)')}
        from metric_rollups
        where series_id in (select id from series) and step_ms = ${rollupStep}
          and time >= ${from - (from % bucketStep)} and time < ${q.to}
        group by 2`;
    };
    // The three tiers in one statement: raw points (tier 0), 5-minute (1) and hourly (2) roll-ups.
    const tiers = await sql<{
      tier: number;
      bucket: number;
      n: number;
      s: number;
      lo?: number;
      hi?: number;
      t?: number;
    }>`
      with series as (${series})
      select 0 as tier, time - time % ${step} as bucket, ${columns('count(*)', 'sum(value)', 'min(value)', 'max(value)')}
      from metric_points
      where series_id in (select id from series) and time >= ${from} and time < ${q.to}
      group by 2
      union all ${rollups(1, FINE_STEP_MS)}
      union all ${rollups(2, COARSE_STEP_MS)}`.execute(this.reads);
    const lastValues = aggregate === 'last' ? await this.lastValues(series, from, q.to, step) : null;
    const buckets = new Map<number, Bucket>();
    // Raw points first, then the roll-ups from fine to coarse, whatever order the rows came in.
    for (const r of tiers.rows.sort((a, b) => Number(a.tier) - Number(b.tier))) {
      const time = Number(r.bucket);
      const b: Bucket = {
        count: Number(r.n),
        sum: Number(r.s),
        min: Number(r.lo ?? 0),
        max: Number(r.hi ?? 0),
        last: (Number(r.tier) === 0 ? lastValues?.get(time) : undefined) ?? Number(r.s) / Number(r.n),
        lastTime: Number(r.t ?? 0),
      };
      const had = buckets.get(time);
      if (!had) buckets.set(time, b);
      else {
        had.count += b.count;
        had.sum += b.sum;
        had.min = Math.min(had.min, b.min);
        had.max = Math.max(had.max, b.max);
        if (b.lastTime >= had.lastTime) {
          had.last = b.last;
          had.lastTime = b.lastTime;
        }
      }
    }
    return [...buckets.entries()]
      .sort(([a], [b]) => a - b)
      .map(([time, b]) => ({ time, value: aggregateOf(b, aggregate) }));
  }

  /** The value of each step's newest raw point (of any of the series). */
  private async lastValues(
    series: RawBuilder<{ id: number }>,
    from: number,
    to: number,
    step: number,
  ): Promise<Map<number, number>> {
    const ids = (await series.execute(this.reads)).rows.map((r) => Number(r.id));
    if (ids.length === 0) return new Map();
    const rows = await this.reads
      .selectFrom('metric_points')
      .select(['time', 'value'])
      .where('series_id', 'in', ids)
      .where('time', '>=', from)
      .where('time', '<', to)
      .orderBy('time')
      .execute();
    const last = new Map<number, number>();
    for (const r of rows) last.set(Number(r.time) - (Number(r.time) % step), Number(r.value));
    return last;
  }

  async settings(orgId: string): Promise<Map<string, MetricSettings>> {
    const rows = await this.reads
      .selectFrom('metric_settings')
      .select(['metric', 'direction', 'unit'])
      .where('org_id', '=', orgId)
      .execute();
    return new Map(rows.map((r) => [r.metric, { direction: r.direction, unit: r.unit }]));
  }

  async updateSettings(
    orgId: string,
    metric: string,
    change: Partial<MetricSettings>,
    now = Date.now(),
  ): Promise<MetricSettings> {
    const current = (await this.settings(orgId)).get(metric) ?? { direction: null, unit: null };
    const next = { ...current, ...change };
    await this.db
      .insertInto('metric_settings')
      .values({ org_id: orgId, metric, direction: next.direction, unit: next.unit, updated_at: now })
      .onConflict((oc) =>
        oc
          .columns(['org_id', 'metric'])
          .doUpdateSet({ direction: next.direction, unit: next.unit, updated_at: now }),
      )
      .execute();
    return next;
  }

  /**
   * Folds raw points older than the raw retention into 5-minute roll-ups and 5-minute roll-ups
   * older than FINE_KEEP_MS into hourly ones, one series per transaction (so ingest never waits
   * long behind it). A point sent after its time was rolled up adds to the roll-up.
   * Answers how many series were rolled up.
   */
  async rollUp(now = Date.now()): Promise<{ raw: number; fine: number }> {
    const rawCutoff = now - RAW_KEEP_MS - ((now - RAW_KEEP_MS) % HOUR_MS);
    const fineCutoff = now - FINE_KEEP_MS - ((now - FINE_KEEP_MS) % HOUR_MS);
    const rawSeries = await this.db
      .selectFrom('metric_series')
      .select('id')
      .where('raw_from', '<', rawCutoff)
      .execute();
    for (const { id } of rawSeries) {
      await this.transaction(async (trx) => {
        await this.fold(trx, 'metric_points', Number(id), rawCutoff, FINE_STEP_MS);
        await withMetricTables(trx)
          .updateTable('metric_series')
          .set({ raw_from: rawCutoff })
          .where('id', '=', Number(id))
          .execute();
      });
    }
    const fineSeries = await sql<{ series_id: number }>`
      select distinct series_id from metric_rollups where step_ms = ${FINE_STEP_MS} and time < ${fineCutoff}`.execute(
      this.db,
    );
    for (const { series_id } of fineSeries.rows) {
      await this.transaction((trx) =>
        this.fold(trx, 'metric_rollups', Number(series_id), fineCutoff, COARSE_STEP_MS),
      );
    }
    return { raw: rawSeries.length, fine: fineSeries.rows.length };
  }

  /** Moves one series' rows before `cutoff` from `table` into roll-ups of `step`. */
  private async fold(
    trx: Kysely<Database>,
    table: 'metric_points' | 'metric_rollups',
    seriesId: number,
    cutoff: number,
    step: number,
  ): Promise<void> {
    const least = this.engine === 'postgres' ? 'least' : 'min';
    const greatest = this.engine === 'postgres' ? 'greatest' : 'max';
    const source =
      table === 'metric_points'
        ? sql`select series_id, cast(${step} as bigint), time - time % ${step}, count(*), sum(value), min(value), max(value)
              from metric_points where series_id = ${seriesId} and time < ${cutoff}
              group by 1, 3`
        : sql`select series_id, cast(${step} as bigint), time - time % ${step}, sum(count), sum(sum), min(min), max(max)
              from metric_rollups where series_id = ${seriesId} and step_ms = ${FINE_STEP_MS} and time < ${cutoff}
              group by 1, 3`;
    await sql`
      insert into metric_rollups (series_id, step_ms, time, count, sum, min, max)
      ${source}
      on conflict (series_id, step_ms, time) do update set
        count = metric_rollups.count + excluded.count,
        sum = metric_rollups.sum + excluded.sum,
        min = ${sql.raw(least)}(metric_rollups.min, excluded.min),
        max = ${sql.raw(greatest)}(metric_rollups.max, excluded.max)`.execute(trx);
    if (table === 'metric_points') {
      await sql`delete from metric_points where series_id = ${seriesId} and time < ${cutoff}`.execute(trx);
    } else {
      await sql`delete from metric_rollups where series_id = ${seriesId} and step_ms = ${FINE_STEP_MS} and time < ${cutoff}`.execute(
        trx,
      );
    }
  }

  /** The plan's retention: deletes the organization's points and roll-ups before `cutoff`, and series with nothing newer. */
  async deleteOlderThan(orgId: string, cutoff: number): Promise<void> {
    const series = await this.db
      .selectFrom('metric_series')
      .select('id')
      .where('org_id', '=', orgId)
      .execute();
    for (const { id } of series) {
      await this.transaction(async (trx) => {
        const db = withMetricTables(trx);
        await db
          .deleteFrom('metric_points')
          .where('series_id', '=', Number(id))
          .where('time', '<', cutoff)
          .execute();
        await db
          .deleteFrom('metric_rollups')
          .where('series_id', '=', Number(id))
          .where('time', '<', cutoff)
          .execute();
      });
    }
    await this.db
      .deleteFrom('metric_series')
      .where('org_id', '=', orgId)
      .where('last_point_at', '<', cutoff)
      .execute();
  }
}

function aggregateOf(b: Bucket, aggregate: Aggregate): number {
  switch (aggregate) {
    case 'min':
      return b.min;
    case 'max':
      return b.max;
    case 'sum':
      return b.sum;
    case 'count':
      return b.count;
    case 'last':
      return b.last;
    default:
      return b.sum / b.count;
  }
}

const repositories = new WeakMap<Store, MetricRepository>();

/** The one metric repository of a store. */
export function metricRepository(store: Store): MetricRepository {
  let repository = repositories.get(store);
  if (!repository) {
    repository = new MetricRepository(store.db, store.engine);
    repositories.set(store, repository);
  }
  return repository;
}
