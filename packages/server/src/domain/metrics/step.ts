/** Series steps on the wire: `30s`, `1m` (the default), `5m`, `1h`, `1d`. */

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
export const DEFAULT_STEP_MS = 60_000;
export const STEP_MIN_MS = 1_000;
export const STEP_MAX_MS = 86_400_000;
/** Most points one series answer holds (as Prometheus' 11,000), so a range/step mistake is a clear 400. */
export const SERIES_POINTS_MAX = 11_000;

export type StepResult = { ok: true; ms: number } | { ok: false; message: string };

export function parseStep(value: string): StepResult {
  const m = /^(\d{1,6})([smhd])$/.exec(value.trim());
  const ms = m ? Number(m[1]) * (UNIT_MS[m[2] as string] as number) : Number.NaN;
  if (!m || ms < STEP_MIN_MS || ms > STEP_MAX_MS)
    return {
      ok: false,
      message: `"${value}" is not a step: use a number and a unit from 1s to 1d, such as 30s, 1m, 5m or 1h`,
    };
  return { ok: true, ms };
}

export function formatStep(ms: number): string {
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
  ] as const) {
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
