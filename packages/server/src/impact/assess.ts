/**
 * The impact of an event (or a moment) on its subject's metrics: reads each metric once across
 * both windows (pushed points or the mapping's provider, integrations/series.ts), the other
 * events on the subject, and a seasonality baseline (a week, else a day earlier) for the metrics
 * that changed, then hands everything to the pure judgement (domain/impact/judge.ts).
 */
import { ApiError, formatTime, type StoredEvent } from '@opstrails/core';
import { judge, preliminary } from '../domain/impact/judge.js';
import type {
  MetricImpact,
  MetricSamples,
  OverlappingEvent,
  SeasonalBaseline,
} from '../domain/impact/types.js';
import {
  type ImpactWindows,
  impactWindows,
  type Range,
  settleFor,
  shifted,
} from '../domain/impact/windows.js';
import { type AppliedMetric, loadSeries, metricsFor } from '../integrations/series.js';
import type { MetricServices } from '../integrations/services.js';
import { toStoredEvent } from '../store/events.js';
import type { MappingRow } from '../store/integrations.js';

const DAY_MS = 86_400_000;
const OVERLAP_LIMIT = 50;

export interface ImpactQuery {
  orgId: string;
  at: number;
  /** null for an event without one: no metric speaks for it. */
  subject: string | null;
  source: string | null;
  windowName: string;
  event: StoredEvent | null;
  now: number;
}

export interface ImpactReport {
  event: StoredEvent | null;
  time: string;
  subject: string | null;
  window: string;
  settleMinutes: number;
  before: { from: string; to: string };
  after: { from: string; to: string };
  /** The after-window has not fully passed: the verdict will be recomputed when it has. */
  provisional: boolean;
  metrics: MetricImpact[];
  overlapping: OverlappingEvent[];
  summary: { verdict: string; text: string };
}

const range = (r: Range) => ({ from: formatTime(r.from), to: formatTime(r.to) });
const within = (points: { time: number; value: number }[], r: Range) =>
  points.filter((p) => p.time >= r.from && p.time < r.to && Number.isFinite(p.value)).map((p) => p.value);

/** Where a judgement reads from: the organization's mappings are read once for all its series. */
interface Reader {
  services: MetricServices;
  orgId: string;
  mappings: MappingRow[];
}

/** Both sides of one metric in one read; a provider that fails leaves the metric without data and says why. */
async function sides(
  { services, orgId, mappings }: Reader,
  m: AppliedMetric,
  w: ImpactWindows,
): Promise<{ before: number[]; after: number[]; error: string | null }> {
  try {
    const loaded = await loadSeries(services, {
      orgId,
      mappings,
      metric: m.metric,
      subject: m.subject,
      source: m.source,
      from: w.before.from,
      to: w.after.to,
      stepMs: w.stepMs,
    });
    return { before: within(loaded.points, w.before), after: within(loaded.points, w.after), error: null };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { before: [], after: [], error: error.message };
  }
}

async function baselineFor(
  reader: Reader,
  m: AppliedMetric,
  w: ImpactWindows,
): Promise<SeasonalBaseline | null> {
  for (const [offset, ms] of [
    ['7d', 7 * DAY_MS],
    ['1d', DAY_MS],
  ] as const) {
    const s = await sides(reader, m, shifted(w, ms));
    if (s.before.length >= 10 && s.after.length >= 10) return { offset, before: s.before, after: s.after };
  }
  return null;
}

async function overlapping(
  services: MetricServices,
  q: ImpactQuery,
  w: ImpactWindows,
): Promise<OverlappingEvent[]> {
  if (q.subject === null) return [];
  const { rows } = await services.store.events.list(
    q.orgId,
    { subjects: [q.subject], from: w.overlap.from, to: w.overlap.to },
    OVERLAP_LIMIT,
  );
  return rows
    .map(toStoredEvent)
    .filter((e) => !(q.event && e.id === q.event.id && e.source === q.event.source))
    .map((e) => ({
      id: e.id,
      source: e.source,
      type: e.type,
      subject: e.subject,
      version: e.version,
      time: e.time,
    }))
    .sort((a, b) => a.time.localeCompare(b.time));
}

/** "the deploy", "the rollback", "the incident event"; for a moment, the moment itself. */
function nounFor(event: StoredEvent | null, at: number): string {
  if (!event) return `${formatTime(at).slice(0, 16).replace('T', ' ')} UTC`;
  const t = event.type.toLowerCase();
  if (t === 'rollback') return 'the rollback';
  return t.includes('deploy') || t === 'release' ? 'the deploy' : `the ${event.type} event`;
}

export async function assessImpact(services: MetricServices, q: ImpactQuery): Promise<ImpactReport> {
  const settleMs = q.event ? settleFor(q.event.data) : settleFor(null);
  const w = impactWindows(q.at, q.windowName, settleMs);
  const [applied, others, mappings] = await Promise.all([
    q.subject === null ? [] : metricsFor(services.store, q.orgId, q.subject, q.source),
    overlapping(services, q, w),
    services.integrations.rows.mappings(q.orgId),
  ]);
  const reader: Reader = { services, orgId: q.orgId, mappings };
  const read = await Promise.all(applied.map((m) => sides(reader, m, w)));
  const samples: MetricSamples[] = applied.map((m, i) => ({
    metric: m.metric,
    subject: m.subject,
    source: m.source,
    provider: m.provider,
    unit: m.unit,
    direction: m.direction,
    before: read[i]?.before ?? [],
    after: read[i]?.after ?? [],
  }));
  const tests = preliminary(samples);
  const baselines: (SeasonalBaseline | null)[] = applied.map(() => null);
  await Promise.all(
    tests.changed.map(async (i) => {
      baselines[i] = await baselineFor(reader, applied[i] as AppliedMetric, w);
    }),
  );
  const ctx = {
    noun: nounFor(q.event, q.at),
    windowName: q.windowName,
    subject: q.subject ?? '',
    overlapping: others,
  };
  const judged = judge(tests, baselines, ctx);
  if (q.subject === null)
    judged.summary.text =
      'The event has no subject (environment), and metrics speak for subjects: there is nothing to compare.';
  const metrics = judged.metrics.map((m, i) => {
    const error = read[i]?.error;
    return error ? { ...m, reason: `${m.metric} could not be read: ${error}` } : m;
  });
  return {
    event: q.event,
    time: formatTime(q.at),
    subject: q.subject,
    window: q.windowName,
    settleMinutes: Math.round((settleMs / 60_000) * 100) / 100,
    before: range(w.before),
    after: range(w.after),
    provisional: q.now < w.after.to,
    metrics,
    overlapping: others,
    summary: judged.summary,
  };
}
