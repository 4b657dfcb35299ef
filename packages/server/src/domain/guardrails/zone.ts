/**
 * Wall-clock readings of an instant in an IANA time zone, and back, through Intl (the runtime's
 * own zone database): what "Saturday in America/New_York" or "16:00 Europe/Berlin" means for a
 * UTC instant, on either side of a DST change.
 */

export interface WallClock {
  year: number;
  /** 1-12 */
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday ... 6 = Saturday */
  weekday: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      weekday: 'short',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    if (formatters.size < 1_000) formatters.set(zone, f);
  }
  return f;
}

/** True when the runtime knows `zone` as an IANA zone name. */
export function isTimeZone(zone: string): boolean {
  if (zone.length === 0 || zone.length > 64) return false;
  try {
    formatter(zone);
    return true;
  } catch {
    return false;
  }
}

/** What a clock in `zone` shows at the instant `ms`, read from Intl (slow: see `offsetAt`). */
function intlWallClock(ms: number, zone: string): WallClock {
  const parts: Record<string, string> = {};
  for (const p of formatter(zone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
  };
}

/** Every zone changes its offset on a quarter hour, so one reading serves a whole quarter. */
const QUARTER_MS = 15 * 60_000;
const offsets = new Map<string, number>();

/**
 * The zone's offset from UTC at `ms`, in ms (positive east of Greenwich), remembered per zone and
 * quarter hour: formatting through Intl costs microseconds, and judging 25 rules per event asks often.
 */
function offsetAt(ms: number, zone: string): number {
  const quarter = Math.floor(ms / QUARTER_MS) * QUARTER_MS;
  const key = `${zone}|${quarter}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const w = intlWallClock(quarter, zone);
    offset = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) - quarter;
    if (offsets.size >= 50_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** What a clock in `zone` shows at the instant `ms`. */
export function wallClock(ms: number, zone: string): WallClock {
  const d = new Date(ms + offsetAt(ms, zone));
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    weekday: d.getUTCDay(),
  };
}

/**
 * The instant a clock in `zone` shows the wall time `wallAsUtc` (a wall-clock reading encoded as
 * if it were UTC). In a DST gap (02:30 that never happens) the reading is taken with the offset
 * before the change, so it lands just after the gap; in an overlap the earlier instant wins.
 */
export function zonedToUtc(wallAsUtc: number, zone: string): number {
  const first = wallAsUtc - offsetAt(wallAsUtc, zone);
  const second = wallAsUtc - offsetAt(first, zone);
  if (offsetAt(second, zone) === offsetAt(first, zone)) return Math.min(first, second);
  return Math.max(first, second);
}

/** The wall clock of `ms` in `zone`, encoded as if it were UTC (what rrule calls a floating time). */
export function utcToWall(ms: number, zone: string): number {
  return ms + offsetAt(ms, zone);
}

/** The calendar day of `ms` in `zone`: its first instant, the next day's first instant, and its date. */
export function dayOf(ms: number, zone: string): { start: number; end: number; date: string } {
  const w = wallClock(ms, zone);
  const start = zonedToUtc(Date.UTC(w.year, w.month - 1, w.day), zone);
  const end = zonedToUtc(Date.UTC(w.year, w.month - 1, w.day + 1), zone);
  const date = `${w.year}-${String(w.month).padStart(2, '0')}-${String(w.day).padStart(2, '0')}`;
  return { start, end, date };
}
