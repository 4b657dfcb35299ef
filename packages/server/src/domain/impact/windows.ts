/**
 * The windows of impact-method.md: before = [t - w, t), after = [t + settle, t + settle + w);
 * the settle interval between them is not judged. Longer windows are read at coarser steps so
 * both sides keep a comparable, bounded number of points (120-144).
 */
export const WINDOW_STEPS: Record<string, number> = {
  '1h': 60_000,
  '2h': 60_000,
  '4h': 120_000,
  '6h': 180_000,
  '12h': 300_000,
  '24h': 600_000,
};
export const WINDOW_NAMES = Object.keys(WINDOW_STEPS);
export const DEFAULT_WINDOW = '2h';
export const DEFAULT_SETTLE_MS = 5 * 60_000;

export interface Range {
  from: number;
  to: number;
}

export interface ImpactWindows {
  name: string;
  windowMs: number;
  stepMs: number;
  settleMs: number;
  before: Range;
  after: Range;
  /** Where other events count as overlapping: [t - w, t + settle + w]. */
  overlap: Range;
}

export const windowMs = (name: string) => Number(name.slice(0, -1)) * 3_600_000;

/** `data.durationSeconds` when the event says how long its rollout took, else 5 minutes. */
export function settleFor(data: unknown): number {
  const d = data && typeof data === 'object' ? (data as Record<string, unknown>).durationSeconds : undefined;
  return typeof d === 'number' && Number.isFinite(d) && d >= 0 ? Math.round(d * 1000) : DEFAULT_SETTLE_MS;
}

export function impactWindows(at: number, name: string, settleMs: number): ImpactWindows {
  const w = windowMs(name);
  return {
    name,
    windowMs: w,
    stepMs: WINDOW_STEPS[name] ?? 60_000,
    settleMs,
    before: { from: at - w, to: at },
    after: { from: at + settleMs, to: at + settleMs + w },
    overlap: { from: at - w, to: at + settleMs + w },
  };
}

/** The same windows shifted back, for the seasonality baseline. */
export const shifted = (w: ImpactWindows, byMs: number): ImpactWindows => ({
  ...w,
  before: { from: w.before.from - byMs, to: w.before.to - byMs },
  after: { from: w.after.from - byMs, to: w.after.to - byMs },
  overlap: { from: w.overlap.from - byMs, to: w.overlap.to - byMs },
});
