/** Which way a metric is better (extended API section 1): a pushed metric's default is read from its name. */

export const DIRECTIONS = ['lower-is-better', 'higher-is-better', 'either'] as const;
export type Direction = (typeof DIRECTIONS)[number];

const LOWER = ['error', 'latency', 'duration', 'p50', 'p95', 'p99'];
const HIGHER = ['throughput', 'page_views', 'crash_free', 'success', 'conversion', 'apdex'];

export function defaultDirection(metric: string): Direction {
  const name = metric.toLowerCase();
  // "crash_free" is a share of good sessions: higher is better, unlike "crash" alone.
  if (name.includes('crash') && !name.includes('free')) return 'lower-is-better';
  if (LOWER.some((word) => name.includes(word))) return 'lower-is-better';
  if (HIGHER.some((word) => name.includes(word))) return 'higher-is-better';
  return 'either';
}

export const isDirection = (value: unknown): value is Direction =>
  typeof value === 'string' && (DIRECTIONS as readonly string[]).includes(value);
