/** The failure window as people write it: `90m`, `4h`, `2d`. */

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
export const WINDOW_MIN_MS = 5 * UNIT_MS.m;
export const WINDOW_MAX_MS = 7 * UNIT_MS.d;

/** Milliseconds of a window, or a message naming the fix. */
export function parseWindow(text: string): { ok: true; ms: number } | { ok: false; message: string } {
  const match = /^(\d{1,6})\s*([mhd])$/i.exec(text.trim());
  if (!match)
    return {
      ok: false,
      message: `"${text}" is not a duration; write minutes, hours or days, e.g. 90m, 4h, 1d`,
    };
  const ms = Number(match[1]) * UNIT_MS[(match[2] as string).toLowerCase() as keyof typeof UNIT_MS];
  if (ms < WINDOW_MIN_MS || ms > WINDOW_MAX_MS)
    return { ok: false, message: `"${text}" is out of range; use from 5m to 7d` };
  return { ok: true, ms };
}

/** The shortest exact writing: `2d`, `4h`, else minutes. */
export function formatWindow(ms: number): string {
  if (ms % UNIT_MS.d === 0) return `${ms / UNIT_MS.d}d`;
  if (ms % UNIT_MS.h === 0) return `${ms / UNIT_MS.h}h`;
  return `${Math.round(ms / UNIT_MS.m)}m`;
}
