/**
 * Turns events into the timeline's stacked bars: time buckets of a readable size, one series
 * per severity or per type (the busiest types, the rest as "other"), stacked from the top.
 */
import { SEVERITIES, type StoredEvent } from '@opstrails/core';

export type GroupBy = 'severity' | 'type';

const STEPS_S = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86_400];
const TYPE_SERIES_MAX = 8;
export const OTHER = 'other';
export const NO_SEVERITY = 'none';

export interface TimelineData {
  /** Bucket starts, in seconds (uPlot's x unit). */
  xs: number[];
  stepS: number;
  groups: string[];
  /** counts[g][bucket] */
  counts: number[][];
  /** stacked[g][bucket] = sum of counts of groups g..end: drawn first to last, each over the previous. */
  stacked: number[][];
  /** Events per bucket, newest first. */
  byBucket: StoredEvent[][];
}

export function bucketStep(spanS: number): number {
  return STEPS_S.find((s) => spanS / s <= 90) ?? 86_400;
}

const groupOf = (by: GroupBy, e: StoredEvent, types: Set<string>) =>
  by === 'severity' ? (e.severity ?? NO_SEVERITY) : types.has(e.type) ? e.type : OTHER;

export function buildTimeline(
  events: StoredEvent[],
  fromMs: number,
  toMs: number,
  by: GroupBy,
): TimelineData {
  const stepS = bucketStep((toMs - fromMs) / 1000);
  const first = Math.floor(fromMs / 1000 / stepS) * stepS;
  const n = Math.max(1, Math.ceil((toMs / 1000 - first) / stepS));
  const xs = Array.from({ length: n }, (_, i) => first + i * stepS);

  const typeCounts = new Map<string, number>();
  for (const e of events) typeCounts.set(e.type, (typeCounts.get(e.type) ?? 0) + 1);
  const topTypes = [...typeCounts.entries()].sort((a, b) => b[1] - a[1]).map(([t]) => t);
  const kept = new Set(topTypes.slice(0, TYPE_SERIES_MAX));
  const groups =
    by === 'severity'
      ? [...[...SEVERITIES].reverse(), NO_SEVERITY]
      : [...topTypes.slice(0, TYPE_SERIES_MAX), ...(topTypes.length > TYPE_SERIES_MAX ? [OTHER] : [])];

  const counts = groups.map(() => new Array<number>(n).fill(0));
  const byBucket = xs.map(() => [] as StoredEvent[]);
  for (const e of events) {
    const i = Math.floor((Date.parse(e.time) / 1000 - first) / stepS);
    if (i < 0 || i >= n) continue;
    const g = groups.indexOf(groupOf(by, e, kept));
    if (g >= 0) (counts[g] as number[])[i] = ((counts[g] as number[])[i] ?? 0) + 1;
    (byBucket[i] as StoredEvent[]).push(e);
  }
  const stacked = groups.map((_, g) =>
    xs.map((_, i) => counts.slice(g).reduce((sum, c) => sum + (c[i] ?? 0), 0)),
  );
  return { xs, stepS, groups, counts, stacked, byBucket };
}
