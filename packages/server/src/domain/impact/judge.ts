/**
 * One event's impact (impact-method.md, steps 2-10), pure: the samples are read by the caller.
 * `preliminary` runs the tests, Holm's adjustment and the thresholds; the caller then reads a
 * seasonality baseline only for the metrics that changed (a baseline cannot clear the others)
 * and `judge` gives the final verdicts, reasons and summary from the same tests.
 */
import { classify, verdictFor, worst } from './classify.js';
import { relativeChange, summarise } from './describe.js';
import { describeOverlap, formatChange, formatP, formatValue, windowWords } from './format.js';
import { holm } from './holm.js';
import { mannWhitney } from './mann-whitney.js';
import {
  CONF_LEVEL,
  type EventVerdict,
  type ImpactContext,
  type MetricImpact,
  type MetricSamples,
  MIN_POINTS,
  type SeasonalBaseline,
  type SeasonalityResult,
  TEST_METHOD,
  type TestResult,
} from './types.js';

export interface Tested {
  samples: MetricSamples;
  test: TestResult | null;
  movement: 'up' | 'down' | null;
  belowFloor: boolean;
}

const meanOf = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
const enough = (s: { before: number[]; after: number[] }) =>
  s.before.length >= MIN_POINTS && s.after.length >= MIN_POINTS;

function test(samples: MetricSamples[]): Tested[] {
  const raw = samples.map((s) => (enough(s) ? mannWhitney(s.after, s.before, CONF_LEVEL) : null));
  const tested = raw.filter((r) => r !== null);
  const adjusted = holm(tested.map((r) => r.pValue));
  let k = 0;
  return samples.map((s, i) => {
    const r = raw[i];
    if (!r) return { samples: s, test: null, movement: null, belowFloor: false };
    const t: TestResult = {
      method: TEST_METHOD,
      pValue: r.pValue,
      pAdjusted: adjusted[k++] as number,
      shift: r.estimate,
      shiftLow: r.confLow,
      shiftHigh: r.confHigh,
      effectSize: r.effectSize,
    };
    const c = classify(t, meanOf(s.before), meanOf(s.after), s.minEffect);
    return { samples: s, test: t, ...c };
  });
}

/** Every metric tested once; `changed` are the ones that moved before seasonality is looked at. */
export interface Preliminary {
  tested: Tested[];
  /** Indexes of the metrics needing a seasonality baseline. */
  changed: number[];
}

export function preliminary(samples: MetricSamples[]): Preliminary {
  const tested = test(samples);
  return { tested, changed: tested.flatMap((t, i) => (t.movement === null ? [] : [i])) };
}

const verbs = (movement: 'up' | 'down') => (movement === 'up' ? 'rose' : 'fell');

function seasonality(t: Tested, baseline: SeasonalBaseline | null | undefined): SeasonalityResult {
  if (!baseline || !enough(baseline)) return { baseline: null, explains: null };
  const before = summarise(baseline.before);
  const after = summarise(baseline.after);
  const relative = relativeChange(before.mean as number, after.mean as number);
  const result: SeasonalityResult = {
    baseline: {
      offset: baseline.offset,
      before,
      after,
      change: { absolute: (after.mean as number) - (before.mean as number), relative },
      pValue: mannWhitney(baseline.after, baseline.before, CONF_LEVEL).pValue,
    },
    explains: null,
  };
  const own = relativeChange(meanOf(t.samples.before), meanOf(t.samples.after));
  if (t.movement === null || own === null || relative === null) return result;
  const sameWay = t.movement === 'up' ? relative > 0 : relative < 0;
  if (sameWay && Math.abs(relative) >= Math.abs(own) / 2) {
    const when = baseline.offset === '7d' ? 'a week' : 'a day';
    result.explains = `the same hours ${when} earlier ${verbs(t.movement)} ${formatChange(before.mean as number, after.mean as number, relative)} too: the usual pattern of the time of day`;
  }
  return result;
}

function reason(m: Omit<MetricImpact, 'reason'>, t: Tested, ctx: ImpactContext): string {
  const unit = m.unit;
  const name = m.metric;
  if (m.test === null)
    return `${name} has ${m.before.n} points before and ${m.after.n} after ${ctx.noun} (at least ${MIN_POINTS} on each side are needed): not enough data to judge`;
  const b = m.before.mean as number;
  const a = m.after.mean as number;
  const from = formatValue(b, unit);
  const to = formatValue(a, unit);
  const change = formatChange(b, a, m.change.relative);
  if (m.verdict !== 'no_significant_change')
    return `${name} ${verbs(t.movement as 'up' | 'down')} from ${from} to ${to} (${change}) in the ${windowWords(ctx.windowName)} after ${ctx.noun}; ${formatP(m.test.pAdjusted)}; ${describeOverlap(ctx.subject, ctx.overlapping, ctx.noun)}`;
  if (m.seasonality.explains)
    return `${name} ${verbs(t.movement as 'up' | 'down')} from ${from} to ${to} after ${ctx.noun}, but ${m.seasonality.explains}, not ${ctx.noun}`;
  if (t.belowFloor)
    return `${name} went from ${from} to ${to} (${change}) after ${ctx.noun}: real but too small to count (${Math.round((t.samples.minEffect ?? 0.1) * 100)}% is this metric's minimum effect)`;
  return `${name} went from ${from} to ${to} (${change}) after ${ctx.noun}: no significant change (${formatP(m.test.pAdjusted)})`;
}

export interface EventImpactJudgement {
  metrics: MetricImpact[];
  summary: { verdict: EventVerdict; text: string };
}

/**
 * `baselines[i]` is metric i's seasonality baseline, when one was read. Given the samples'
 * `preliminary`, their tests are not run again (each is a few hundred microseconds).
 */
export function judge(
  samples: MetricSamples[] | Preliminary,
  baselines: (SeasonalBaseline | null | undefined)[],
  ctx: ImpactContext,
): EventImpactJudgement {
  const tested = Array.isArray(samples) ? test(samples) : samples.tested;
  const metrics = tested.map((t, i) => {
    const s = t.samples;
    const before = summarise(s.before);
    const after = summarise(s.after);
    const season = seasonality(t, baselines[i]);
    const verdict =
      t.test === null
        ? 'not_enough_data'
        : verdictFor(season.explains ? null : t.movement, String(s.direction));
    const change =
      before.mean === null || after.mean === null
        ? { absolute: null, relative: null }
        : { absolute: after.mean - before.mean, relative: relativeChange(before.mean, after.mean) };
    const m = {
      metric: s.metric,
      subject: s.subject,
      source: s.source,
      provider: s.provider,
      unit: s.unit,
      direction: String(s.direction),
      before,
      after,
      change,
      test: t.test,
      seasonality: season,
      verdict,
    } satisfies Omit<MetricImpact, 'reason'>;
    return { ...m, reason: reason(m, t, ctx) };
  });
  return { metrics, summary: summarise_(metrics, ctx) };
}

function summarise_(metrics: MetricImpact[], ctx: ImpactContext): { verdict: EventVerdict; text: string } {
  if (metrics.length === 0)
    return {
      verdict: 'no_metrics',
      text: `No metric is mapped to ${ctx.subject}, so there is nothing to compare. Push points to POST /api/v1/metrics/webhook or map a metric from an integration (POST /api/v1/metrics/mappings).`,
    };
  const verdict = worst(metrics.map((m) => m.verdict));
  const moved = metrics.filter((m) => ['regressed', 'changed', 'improved'].includes(m.verdict));
  const still = metrics.filter((m) => m.verdict === 'no_significant_change').map((m) => m.metric);
  const missing = metrics.filter((m) => m.verdict === 'not_enough_data').map((m) => m.metric);
  const parts: string[] = [];
  for (const m of moved) {
    const b = m.before.mean as number;
    const a = m.after.mean as number;
    parts.push(
      `${m.metric} ${m.verdict} (${formatValue(b, m.unit)} to ${formatValue(a, m.unit)}, ${formatChange(b, a, m.change.relative)}, ${formatP(m.test?.pAdjusted ?? 1)})`,
    );
  }
  if (still.length) parts.push(`no significant change in ${still.join(', ')}`);
  if (missing.length) parts.push(`not enough data for ${missing.join(', ')}`);
  const head: Record<string, string> = {
    regressed: `Regressed in the ${windowWords(ctx.windowName)} after ${ctx.noun}`,
    changed: `Changed in the ${windowWords(ctx.windowName)} after ${ctx.noun}`,
    improved: `Improved in the ${windowWords(ctx.windowName)} after ${ctx.noun}`,
    no_significant_change: `No significant change in the ${windowWords(ctx.windowName)} after ${ctx.noun}`,
    not_enough_data: `Not enough data to judge the ${windowWords(ctx.windowName)} after ${ctx.noun}`,
  };
  const overlap = describeOverlap(ctx.subject, ctx.overlapping, ctx.noun);
  return {
    verdict,
    text: `${head[verdict]}: ${parts.join('; ')}. ${overlap.charAt(0).toUpperCase()}${overlap.slice(1)}.`,
  };
}
