/**
 * A metric's series whatever its origin, for the API, impact analysis and MCP:
 * `metricsFor` lists the metrics that speak for an event's subject and source (pushed series and
 * mappings), `loadSeries` reads one of them for a range at a step, from the local store or
 * through the mapping's provider, and `listMetrics` is the organization's catalogue.
 */
import { ApiError } from '@opstrails/core';
import { defaultDirection } from '../domain/metrics/direction.js';
import { foldCase } from '../store/fold-case.js';
import { IntegrationRepository, type MappingRow } from '../store/integrations.js';
import type { Aggregate } from '../store/metrics.js';
import { metricRepository } from '../store/metrics.js';
import type { Store } from '../store/store.js';
import { escapePromQl } from './prometheus.js';
import { ProviderError, substitute } from './provider.js';
import { PROVIDERS } from './registry.js';
import type { MetricServices } from './services.js';

/** `pushed` for points sent to the webhook; otherwise the provider of the mapping. */
export type MetricOrigin = 'pushed' | string;

export interface AppliedMetric {
  metric: string;
  /** The subject as the points or the mapping spell it. */
  subject: string;
  /** null: the metric speaks for the whole subject. */
  source: string | null;
  provider: MetricOrigin;
  direction: string;
  unit: string | null;
  /** The mapping it is read through; null for pushed points. */
  mappingId: string | null;
}

const coversSubject = (m: MappingRow, subject: string) =>
  (JSON.parse(m.subjects) as string[]).some((s) => s === '*' || foldCase(s) === foldCase(subject));

/**
 * The mapping that reads `metric` for `subject` and `source`: one for that source first, then one
 * for the whole subject.
 */
function mappingFor(
  mappings: MappingRow[],
  metric: string,
  subject: string,
  source: string | null,
): MappingRow | undefined {
  const candidates = mappings.filter((m) => m.metric === metric && coversSubject(m, subject));
  return (
    (source === null
      ? undefined
      : candidates.find((m) => m.source !== null && foldCase(m.source) === foldCase(source))) ??
    candidates.find((m) => m.source === null)
  );
}

/** Every metric that speaks for `subject` (and `source`, when given): its mappings and its pushed series. */
export async function metricsFor(
  store: Store,
  orgId: string,
  subject: string,
  source: string | null,
): Promise<AppliedMetric[]> {
  const [mappings, pushed, settings, integrations] = await Promise.all([
    new IntegrationRepository(store.db).mappings(orgId),
    metricRepository(store).seriesFor(orgId, subject, source),
    metricRepository(store).settings(orgId),
    new IntegrationRepository(store.db).list(orgId),
  ]);
  const providerOf = new Map(integrations.map((i) => [i.id, i.provider]));
  const out: AppliedMetric[] = [];
  const seen = new Set<string>();
  for (const m of mappings) {
    if (!coversSubject(m, subject)) continue;
    if (m.source !== null && (source === null || foldCase(m.source) !== foldCase(source))) continue;
    seen.add(`${m.metric}\u0000${m.source === null ? '' : foldCase(m.source)}`);
    out.push({
      metric: m.metric,
      subject,
      source: m.source,
      provider: providerOf.get(m.integration_id) ?? 'unknown',
      direction: m.direction,
      unit: m.unit,
      mappingId: m.id,
    });
  }
  for (const s of pushed) {
    // A mapping of the same name and source is what the organization chose to read.
    if (seen.has(`${s.metric}\u0000${s.source === null ? '' : foldCase(s.source)}`)) continue;
    const set = settings.get(s.metric);
    out.push({
      metric: s.metric,
      subject: s.subject,
      source: s.source,
      provider: 'pushed',
      direction: set?.direction ?? defaultDirection(s.metric),
      unit: set?.unit ?? null,
      mappingId: null,
    });
  }
  return out;
}

export interface SeriesLoad {
  orgId: string;
  metric: string;
  subject: string;
  source: string | null;
  /** Epoch ms; `from` inclusive, `to` exclusive. */
  from: number;
  to: number;
  stepMs: number;
  /** How pushed points in one step are combined (default avg); providers answer their query's value. */
  aggregate?: Aggregate;
  /** The organization's mappings, when the caller has read them already (an impact loads eight series). */
  mappings?: MappingRow[];
}

export interface LoadedSeries {
  provider: MetricOrigin;
  /** The step of the points: the one asked for, or the mapping's when that is coarser. */
  stepMs: number;
  points: { time: number; value: number }[];
}

/**
 * One metric's series for a subject and source over a range, at a step: through the mapping
 * that reads it when there is one (a provider failure is a 400-class error quoting the provider,
 * and is recorded on the integration), otherwise from the pushed points.
 */
export async function loadSeries(services: MetricServices, q: SeriesLoad): Promise<LoadedSeries> {
  const integrations = services.integrations;
  const mappings = q.mappings ?? (await integrations.rows.mappings(q.orgId));
  const mapping = mappingFor(mappings, q.metric, q.subject, q.source);
  if (!mapping) {
    const points = await services.metrics.readSeries(q.orgId, q);
    return { provider: 'pushed', stepMs: q.stepMs, points };
  }
  const row = await integrations.get(q.orgId, mapping.integration_id);
  const stepMs = Math.max(q.stepMs, Number(mapping.step_ms ?? 0));
  const values = JSON.parse(mapping.subject_values) as Record<string, string>;
  const subjectValue =
    values[q.subject] ??
    Object.entries(values).find(([k]) => foldCase(k) === foldCase(q.subject))?.[1] ??
    q.subject;
  const query = substitute(
    mapping.query,
    { subject: subjectValue, source: mapping.source ?? q.source ?? '' },
    row.provider === 'prometheus' ? escapePromQl : PROVIDERS[row.provider]?.escapeValue,
  );
  try {
    const points = await integrations
      .provider(row)
      .fetchSeries({ query, from: q.from, to: q.to, stepSeconds: Math.max(1, Math.round(stepMs / 1000)) });
    await integrations.record(row, { ok: true, message: '' });
    return { provider: row.provider, stepMs, points };
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error;
    await integrations.record(row, { ok: false, message: error.message });
    throw new ApiError(
      'VALIDATION_ERROR',
      `${q.metric} from ${row.provider} integration "${row.name}": ${error.message}`,
    );
  }
}

export interface MetricSummary {
  name: string;
  provider: MetricOrigin;
  direction: string;
  unit: string | null;
  subjects: string[];
  sources: string[];
  lastPointAt: number | null;
  mappingIds: string[];
}

/** Every metric of the organization: one entry per name and origin (pushed, or each provider it is mapped from). */
export async function listMetrics(services: MetricServices, orgId: string): Promise<MetricSummary[]> {
  const [series, settings, mappings, integrations] = await Promise.all([
    services.metrics.listSeries(orgId),
    services.metrics.settings(orgId),
    services.integrations.rows.mappings(orgId),
    services.integrations.integrationsById(orgId),
  ]);
  const byKey = new Map<string, MetricSummary>();
  const entry = (name: string, provider: string, direction: string, unit: string | null) => {
    const key = `${name}\u0000${provider}`;
    let e = byKey.get(key);
    if (!e) {
      e = { name, provider, direction, unit, subjects: [], sources: [], lastPointAt: null, mappingIds: [] };
      byKey.set(key, e);
    }
    return e;
  };
  for (const s of series) {
    const set = settings.get(s.metric);
    const e = entry(s.metric, 'pushed', set?.direction ?? defaultDirection(s.metric), set?.unit ?? null);
    if (!e.subjects.includes(s.subject)) e.subjects.push(s.subject);
    if (s.source !== null && !e.sources.includes(s.source)) e.sources.push(s.source);
    e.lastPointAt = Math.max(e.lastPointAt ?? 0, s.lastPointAt);
  }
  for (const m of mappings) {
    const e = entry(m.metric, integrations.get(m.integration_id)?.provider ?? 'unknown', m.direction, m.unit);
    for (const s of JSON.parse(m.subjects) as string[]) if (!e.subjects.includes(s)) e.subjects.push(s);
    if (m.source !== null && !e.sources.includes(m.source)) e.sources.push(m.source);
    e.mappingIds.push(m.id);
  }
  return [...byKey.values()].sort(
    (a, b) => a.name.localeCompare(b.name) || a.provider.localeCompare(b.provider),
  );
}
