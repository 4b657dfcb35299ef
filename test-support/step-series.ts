/**
 * A metric series around a moment `at`: one point a minute from 2 h before to ~2 h after, at
 * `before` then `after`, with a reproducible ±4% wobble so the impact judgement sees noise.
 * The impact tests push it to the metrics webhook to make a clear regression (or none).
 */
const MIN = 60_000;

export interface StepSeries {
  metric: string;
  subject: string;
  at: number;
  before: number;
  after: number;
}

export function stepSeries({ metric, subject, at, before, after }: StepSeries) {
  const points = [];
  for (let t = at - 120 * MIN, i = 0; t < at + 125 * MIN; t += MIN, i++) {
    const wobble = 1 + 0.04 * Math.sin(i * 2.3);
    points.push({
      metric,
      subject,
      time: new Date(t).toISOString(),
      value: (t < at ? before : after) * wobble,
    });
  }
  return points;
}
