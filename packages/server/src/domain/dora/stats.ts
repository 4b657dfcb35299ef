/** Small statistics and calendar helpers of the DORA computation. */

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

export type Period = 'day' | 'week' | 'month';
export const PERIODS: readonly Period[] = ['day', 'week', 'month'];

/** Median: the middle value, or the mean of the two middle values; null for none. */
export function median(values: number[]): number | null {
  return p50Sorted([...values].sort((a, b) => a - b));
}

/** The 90th percentile by nearest rank (a value that occurred, never interpolated); null for none. */
export function p90(values: number[]): number | null {
  return p90Sorted([...values].sort((a, b) => a - b));
}

/** The median of values sorted ascending. */
export function p50Sorted(sorted: ArrayLike<number>): number | null {
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The 90th percentile by nearest rank of values sorted ascending. */
export function p90Sorted(sorted: ArrayLike<number>): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.ceil(0.9 * sorted.length) - 1] as number;
}

/** Hours, rounded to hundredths for the wire. */
export const toHours = (ms: number): number => Math.round((ms / HOUR_MS) * 100) / 100;

/** The UTC start of the day, ISO week (Monday) or month that holds `ms`. */
export function periodStart(ms: number, period: Period): number {
  const d = new Date(ms);
  if (period === 'month') return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  const day = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  if (period === 'day') return day;
  return day - ((d.getUTCDay() + 6) % 7) * DAY_MS;
}

function nextPeriod(start: number, period: Period): number {
  if (period === 'day') return start + DAY_MS;
  if (period === 'week') return start + 7 * DAY_MS;
  const d = new Date(start);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** The periods covering [from, to), each as [start, end); the first starts at `from`, the last ends at `to`. */
export function periods(from: number, to: number, period: Period): [number, number][] {
  const out: [number, number][] = [];
  for (let start = from; start < to; ) {
    const end = Math.min(nextPeriod(periodStart(start, period), period), to);
    out.push([start, end]);
    start = end;
  }
  return out;
}
