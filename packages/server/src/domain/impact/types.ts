import type { SideSummary } from './describe.js';

export type Direction = 'lower-is-better' | 'higher-is-better' | 'either';
export type MetricVerdict =
  | 'regressed'
  | 'improved'
  | 'changed'
  | 'no_significant_change'
  | 'not_enough_data';
export type EventVerdict = MetricVerdict | 'no_metrics';

export const TEST_METHOD =
  'Mann-Whitney U, two-sided, tie and continuity corrections; Hodges-Lehmann shift with a 98% interval; Holm across the metrics';
/** Fewer points than this on either side is not_enough_data. */
export const MIN_POINTS = 10;
export const ALPHA = 0.01;
export const CONF_LEVEL = 0.98;
/** Kayenta's tolerance band: the interval must clear zero by this fraction of the shift. */
export const TOLERANCE = 0.25;
export const DEFAULT_MIN_EFFECT = 0.1;

/** One metric's values on both sides of the event (missing points already dropped). */
export interface MetricSamples {
  metric: string;
  subject: string;
  source: string | null;
  provider: string;
  unit: string | null;
  direction: Direction | string;
  /** Minimum relative change of the means that counts (0.1 = 10%). */
  minEffect?: number;
  before: number[];
  after: number[];
}

export interface SeasonalBaseline {
  /** How far back the baseline windows are. */
  offset: '7d' | '1d';
  before: number[];
  after: number[];
}

export interface TestResult {
  method: string;
  pValue: number;
  pAdjusted: number;
  shift: number;
  shiftLow: number;
  shiftHigh: number;
  effectSize: number;
}

export interface SeasonalityResult {
  baseline: {
    offset: '7d' | '1d';
    before: SideSummary;
    after: SideSummary;
    change: { absolute: number | null; relative: number | null };
    pValue: number;
  } | null;
  explains: string | null;
}

export interface MetricImpact {
  metric: string;
  subject: string;
  source: string | null;
  provider: string;
  unit: string | null;
  direction: string;
  before: SideSummary;
  after: SideSummary;
  change: { absolute: number | null; relative: number | null };
  test: TestResult | null;
  seasonality: SeasonalityResult;
  verdict: MetricVerdict;
  reason: string;
}

export interface OverlappingEvent {
  id: string;
  source: string;
  type: string;
  subject: string | null;
  version: string | null;
  time: string;
}

/** What the sentences need to know about the moment judged. */
export interface ImpactContext {
  /** "the deploy", "the rollback", "14:45 UTC". */
  noun: string;
  windowName: string;
  subject: string;
  overlapping: OverlappingEvent[];
}
