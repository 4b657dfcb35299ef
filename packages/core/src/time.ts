/**
 * Time parsing for events and queries: "NOW", RFC 3339, RFC 2822, bare datetimes read in an
 * IANA zone, and relative offsets ("-2h"). All results are UTC epoch milliseconds.
 */

/** The outcome of a parse: an instant, or a message saying what is wrong and how to fix it. */
export type TimeResult = { ok: true; ms: number } | { ok: false; message: string };

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;
const BARE_DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?$/;
const RFC2822 =
  /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?(\d{1,2})\s+(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+([+-]\d{4}|UT|GMT|Z|[ECMP][SD]T)$/i;
const RELATIVE = /^-(\d{1,6})\s*(s|m|h|d|w)$/i;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const NAMED_ZONES: Record<string, number> = {
  UT: 0,
  GMT: 0,
  Z: 0,
  EST: -300,
  EDT: -240,
  CST: -360,
  CDT: -300,
  MST: -420,
  MDT: -360,
  PST: -480,
  PDT: -420,
};
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
}

/** Epoch ms of a wall-clock reading taken as UTC, or null when a field is out of range (Feb 30). */
function wallClockAsUtc(w: WallClock): number | null {
  if (w.month < 1 || w.month > 12 || w.day < 1 || w.hour > 23 || w.minute > 59 || w.second > 60) return null;
  const ms = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, Math.min(w.second, 59), w.ms);
  const d = new Date(ms);
  if (d.getUTCDate() !== w.day || d.getUTCMonth() !== w.month - 1) return null;
  return ms;
}

function fractionMs(fraction: string | undefined): number {
  return fraction ? Math.floor(Number(`0${fraction}`) * 1000) : 0;
}

const zoneCache = new Map<string, Intl.DateTimeFormat | null>();

function zoneFormatter(zone: string): Intl.DateTimeFormat | null {
  let f = zoneCache.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone: zone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch {
      f = null;
    }
    if (zoneCache.size < 1_000) zoneCache.set(zone, f);
  }
  return f;
}

/** True when `zone` is an IANA time zone name this runtime knows (`Europe/London`, `UTC`). */
export function isValidTimeZone(zone: string): boolean {
  return zone.length > 0 && zoneFormatter(zone) !== null;
}

/** The zone's offset from UTC, in ms, at the instant `utcMs`. */
function zoneOffsetMs(formatter: Intl.DateTimeFormat, utcMs: number): number {
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(new Date(utcMs))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return asUtc - (utcMs - (((utcMs % 1000) + 1000) % 1000));
}

/** Reads a wall-clock time in an IANA zone. In a DST gap the earlier offset wins, as most libraries do. */
function zonedToUtc(wallAsUtc: number, zone: string): number {
  const f = zoneFormatter(zone);
  if (!f) throw new Error(`unknown time zone ${zone}`);
  const first = wallAsUtc - zoneOffsetMs(f, wallAsUtc);
  const second = wallAsUtc - zoneOffsetMs(f, first);
  return zoneOffsetMs(f, second) === zoneOffsetMs(f, first) ? second : Math.max(first, second);
}

function parseRfc3339(m: RegExpExecArray): number | null {
  const base = wallClockAsUtc({
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
    ms: fractionMs(m[7]),
  });
  if (base === null) return null;
  if (m[8]) return base;
  const hours = Number(m[10]);
  const minutes = Number(m[11]);
  if (hours > 23 || minutes > 59) return null;
  const offset = (hours * 60 + minutes) * 60_000;
  return m[9] === '-' ? base + offset : base - offset;
}

function parseRfc2822(m: RegExpExecArray): number | null {
  const base = wallClockAsUtc({
    year: Number(m[3]),
    month: MONTHS.indexOf((m[2] ?? '').toLowerCase()) + 1,
    day: Number(m[1]),
    hour: Number(m[4]),
    minute: Number(m[5]),
    second: Number(m[6] ?? 0),
    ms: 0,
  });
  if (base === null) return null;
  const zone = (m[7] ?? '').toUpperCase();
  let offsetMinutes = NAMED_ZONES[zone];
  if (offsetMinutes === undefined) {
    const sign = zone.startsWith('-') ? -1 : 1;
    const hours = Number(zone.slice(1, 3));
    const minutes = Number(zone.slice(3, 5));
    // The same ranges RFC 3339 offsets get: "+9999" is not an offset.
    if (hours > 23 || minutes > 59) return null;
    offsetMinutes = sign * (hours * 60 + minutes);
  }
  return base - offsetMinutes * 60_000;
}

function parseBare(m: RegExpExecArray): number | null {
  return wallClockAsUtc({
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    ms: fractionMs(m[7]),
  });
}

const ZONE_HINT = 'add "Z" or an offset such as "+02:00" (2025-01-15T14:30:00Z), or use "NOW"';

/**
 * Parses an event's `time`. A bare datetime is read in `timezone` when one is given
 * (the event's `data.timezone`), and rejected otherwise.
 */
export function parseEventTime(value: string, nowMs: number, timezone?: string): TimeResult {
  const text = value.trim();
  if (text.toUpperCase() === 'NOW') return { ok: true, ms: nowMs };
  return parseInstant(text, timezone, 'data.timezone');
}

function parseInstant(text: string, timezone: string | undefined, zoneField: string): TimeResult {
  const rfc3339 = RFC3339.exec(text);
  if (rfc3339) {
    const ms = parseRfc3339(rfc3339);
    return ms === null ? invalidDate(text) : { ok: true, ms };
  }
  const rfc2822 = RFC2822.exec(text);
  if (rfc2822) {
    const ms = parseRfc2822(rfc2822);
    return ms === null ? invalidDate(text) : { ok: true, ms };
  }
  const bare = BARE_DATETIME.exec(text);
  if (bare) {
    const wall = parseBare(bare);
    if (wall === null) return invalidDate(text);
    if (timezone === undefined) {
      return {
        ok: false,
        message: `"${text}" has no timezone: the timezone is missing. ${ZONE_HINT}, or name an IANA zone in ${zoneField}`,
      };
    }
    if (!isValidTimeZone(timezone)) {
      return {
        ok: false,
        message: `"${timezone}" in ${zoneField} is not an IANA time zone (e.g. Europe/London)`,
      };
    }
    return { ok: true, ms: zonedToUtc(wall, timezone) };
  }
  return {
    ok: false,
    message: `"${text}" is not a time OpsTrails reads: use "NOW", RFC 3339 (2025-01-15T14:30:00Z) or RFC 2822 (Wed, 15 Jan 2025 14:30:00 +0200)`,
  };
}

function invalidDate(text: string): TimeResult {
  return {
    ok: false,
    message: `"${text}" is not a real date or time (check the month, day and hour ranges)`,
  };
}

/**
 * Parses a query bound: relative ("-30m", "-2h", "-7d", "-1w"), RFC 3339, RFC 2822, or a bare
 * date/datetime read in `timezone` (a bare date without a timezone is UTC midnight).
 */
export function parseQueryTime(value: string, nowMs: number, timezone?: string): TimeResult {
  const text = value.trim();
  if (text.toUpperCase() === 'NOW') return { ok: true, ms: nowMs };
  const rel = RELATIVE.exec(text);
  if (rel) return { ok: true, ms: nowMs - Number(rel[1]) * (UNIT_MS[(rel[2] ?? 's').toLowerCase()] ?? 0) };
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && timezone === undefined)
    return parseInstant(`${text}T00:00:00Z`, undefined, 'timezone');
  const result = parseInstant(text, timezone, 'timezone');
  if (!result.ok && !RFC3339.test(text) && !BARE_DATETIME.test(text) && !RFC2822.test(text)) {
    return {
      ok: false,
      message: `"${text}" is not a time: use a relative offset (-30m, -2h, -7d) or ISO 8601 (2025-01-15T14:30:00Z)`,
    };
  }
  return result;
}

/** RFC 3339 UTC rendering with milliseconds, the one format every answer uses. */
export function formatTime(ms: number): string {
  return new Date(ms).toISOString();
}
