/** Mean and quantiles (R's default type 7, linear between order statistics) of one side. */
export interface SideSummary {
  n: number;
  mean: number | null;
  p50: number | null;
  p95: number | null;
}

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const low = sorted[lo] as number;
  const high = sorted[Math.min(lo + 1, sorted.length - 1)] as number;
  return low + (h - lo) * (high - low);
}

export function summarise(values: readonly number[]): SideSummary {
  if (values.length === 0) return { n: 0, mean: null, p50: null, p95: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of values) sum += v;
  return {
    n: values.length,
    mean: sum / values.length,
    p50: quantile(sorted, 0.5),
    p95: quantile(sorted, 0.95),
  };
}

/** after relative to before; null when before is 0 and after is not (no finite ratio). */
export function relativeChange(before: number, after: number): number | null {
  if (before === 0) return after === 0 ? 0 : null;
  return (after - before) / Math.abs(before);
}
