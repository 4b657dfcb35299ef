/**
 * Steps 3-5 of impact-method.md for one metric whose test is done: changed only when the
 * adjusted p-value is below 0.01, the 98% interval clears zero by the tolerance band
 * (0.25 x |shift|), the means moved the same way by at least the metric's minimum effect;
 * then the metric's direction says whether that is a regression or an improvement.
 */
import { relativeChange } from './describe.js';
import { ALPHA, DEFAULT_MIN_EFFECT, type MetricVerdict, type TestResult, TOLERANCE } from './types.js';

export type Movement = 'up' | 'down' | null;

/** Why a metric with a test did or did not count as changed. */
export interface Classification {
  movement: Movement;
  /** Set when the movement was significant but too small to count. */
  belowFloor: boolean;
}

export function classify(
  test: TestResult,
  beforeMean: number,
  afterMean: number,
  minEffect = DEFAULT_MIN_EFFECT,
): Classification {
  const band = TOLERANCE * Math.abs(test.shift);
  const up = test.shiftLow > band && test.shift > 0;
  const down = test.shiftHigh < -band && test.shift < 0;
  if (test.pAdjusted >= ALPHA || !(up || down)) return { movement: null, belowFloor: false };
  const meansAgree = up ? afterMean > beforeMean : afterMean < beforeMean;
  const relative = relativeChange(beforeMean, afterMean);
  const bigEnough = relative === null || Math.abs(relative) >= minEffect;
  if (!meansAgree || !bigEnough) return { movement: null, belowFloor: true };
  return { movement: up ? 'up' : 'down', belowFloor: false };
}

export function verdictFor(movement: Movement, direction: string): MetricVerdict {
  if (movement === null) return 'no_significant_change';
  if (direction === 'lower-is-better') return movement === 'up' ? 'regressed' : 'improved';
  if (direction === 'higher-is-better') return movement === 'down' ? 'regressed' : 'improved';
  return 'changed';
}

const SEVERITY: MetricVerdict[] = [
  'regressed',
  'changed',
  'improved',
  'no_significant_change',
  'not_enough_data',
];

/** regressed before changed before improved, then no change, then no data. */
export function worst(verdicts: MetricVerdict[]): MetricVerdict {
  return SEVERITY.find((v) => verdicts.includes(v)) ?? 'not_enough_data';
}
