/**
 * Recurring freeze windows: an RFC 5545 RRULE expanded by `rrule` (a well-kept implementation of
 * the RFC) in floating time (the zone's wall clock written as UTC), then each occurrence read in
 * the window's IANA zone, so "Friday 16:00 Europe/Berlin" stays 16:00 in Berlin across DST.
 * As in RFC 5545 the series' first occurrence starts at `startsAt` (DTSTART); occurrences start
 * before `endsAt`. Durations: weeks and days are calendar days in the zone, hours and less are
 * exact (RFC 5545 3.3.6).
 */
import rrulePackage from 'rrule';
import type { Recurrence } from './types.js';
import { utcToWall, zonedToUtc } from './zone.js';

const { RRule } = rrulePackage;

/** The most occurrences one series expands to (a daily series over 27 years). */
export const MAX_OCCURRENCES = 10_000;

export interface Duration {
  /** Calendar days (weeks included). */
  days: number;
  /** Exact milliseconds (hours, minutes, seconds). */
  ms: number;
}

const DURATION = /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/;

/** Parses an ISO 8601 duration (`PT64H`, `P1DT4H`, `P2W`); null when it is not one, or is zero. */
export function parseDuration(text: string): Duration | null {
  const m = DURATION.exec(text.trim().toUpperCase());
  if (!m || text.trim().toUpperCase().endsWith('T')) return null;
  const [w, d, h, min, s] = m.slice(1).map((x) => Number(x ?? 0)) as [number, number, number, number, number];
  const duration = { days: w * 7 + d, ms: ((h * 60 + min) * 60 + s) * 1000 };
  return duration.days === 0 && duration.ms === 0 ? null : duration;
}

/** The end of an occurrence starting at `start`. */
export function occurrenceEnd(start: number, duration: Duration, zone: string): number {
  const wall = utcToWall(start, zone) + duration.days * 86_400_000;
  return (duration.days === 0 ? start : zonedToUtc(wall, zone)) + duration.ms;
}

const WEEKDAY = /^[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)$/;
const intsIn = (min: number, max: number) => (v: string) =>
  v.split(',').every((x) => /^[+-]?\d{1,4}$/.test(x) && Number(x) >= min && Number(x) <= max);

/** What each RRULE part may hold; rrule itself accepts some nonsense (INTERVAL=x) and then never ends. */
const PARTS: Record<string, (v: string) => boolean> = {
  FREQ: (v) => ['YEARLY', 'MONTHLY', 'WEEKLY', 'DAILY', 'HOURLY'].includes(v),
  INTERVAL: (v) => /^\d{1,4}$/.test(v) && Number(v) >= 1,
  COUNT: (v) => /^\d{1,5}$/.test(v) && Number(v) >= 1,
  UNTIL: (v) => /^\d{8}(T\d{6}Z?)?$/.test(v),
  WKST: (v) => WEEKDAY.test(v) && /^[A-Z]{2}$/.test(v),
  BYDAY: (v) => v.split(',').every((x) => WEEKDAY.test(x)),
  BYHOUR: intsIn(0, 23),
  BYMINUTE: intsIn(0, 59),
  BYMONTH: intsIn(1, 12),
  BYMONTHDAY: (v) => intsIn(-31, 31)(v) && !v.split(',').some((x) => Number(x) === 0),
  BYYEARDAY: (v) => intsIn(-366, 366)(v) && !v.split(',').some((x) => Number(x) === 0),
  BYWEEKNO: (v) => intsIn(-53, 53)(v) && !v.split(',').some((x) => Number(x) === 0),
  BYSETPOS: (v) => intsIn(-366, 366)(v) && !v.split(',').some((x) => Number(x) === 0),
};

/** Why an RRULE cannot be used, or null when it can. */
export function rruleProblem(text: string): string | null {
  const body = text.replace(/^RRULE:/i, '').toUpperCase();
  if (/DTSTART|TZID/.test(body))
    return 'must not carry DTSTART or TZID: the series starts at startsAt, in recurrence.timezone';
  const parts = body.split(';').filter((p) => p.length > 0);
  const seen = new Set<string>();
  for (const part of parts) {
    const [name = '', value = '', ...rest] = part.split('=');
    const check = PARTS[name];
    if (!check)
      return `has ${JSON.stringify(name)}, which is not an RFC 5545 RRULE part this server reads (${Object.keys(PARTS).join(', ')})`;
    if (rest.length > 0 || !check(value))
      return name === 'FREQ'
        ? 'FREQ must be YEARLY, MONTHLY, WEEKLY, DAILY or HOURLY'
        : `has ${name}=${value}, which is not a valid value for ${name}`;
    if (seen.has(name)) return `has ${name} twice`;
    seen.add(name);
  }
  if (!seen.has('FREQ')) return 'needs FREQ, e.g. FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0';
  try {
    new RRule(RRule.parseString(body)).all((_d, i) => i < 1);
    return null;
  } catch (error) {
    return `is not an RFC 5545 RRULE (${error instanceof Error ? error.message : String(error)})`;
  }
}

interface Series {
  starts: number[];
  ends: number[];
}

const cache = new Map<string, Series>();

/** Every occurrence of a window's series, as sorted starts and their ends (cached per definition). */
export function series(startsAt: number, endsAt: number, recurrence: Recurrence): Series {
  const key = `${startsAt}|${endsAt}|${recurrence.rrule}|${recurrence.duration}|${recurrence.timezone}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const zone = recurrence.timezone;
  const duration = parseDuration(recurrence.duration) ?? { days: 0, ms: 0 };
  const rule = new RRule({
    ...RRule.parseString(recurrence.rrule.replace(/^RRULE:/i, '').toUpperCase()),
    dtstart: new Date(utcToWall(startsAt, zone)),
  });
  const floating = rule.between(
    new Date(utcToWall(startsAt, zone)),
    new Date(utcToWall(endsAt, zone)),
    true,
    (_d, i) => i < MAX_OCCURRENCES,
  );
  const starts = [startsAt];
  for (const d of floating) {
    const start = zonedToUtc(d.getTime(), zone);
    if (start > startsAt && start < endsAt && start !== starts[starts.length - 1]) starts.push(start);
  }
  const result = { starts, ends: starts.map((s) => occurrenceEnd(s, duration, zone)) };
  if (cache.size >= 1_000) cache.delete(cache.keys().next().value as string);
  cache.set(key, result);
  return result;
}

/** The occurrence (start, end) that contains `ms`, the latest-starting one if several overlap. */
export function occurrenceAt(
  startsAt: number,
  endsAt: number,
  recurrence: Recurrence,
  ms: number,
): { start: number; end: number } | null {
  const { starts, ends } = series(startsAt, endsAt, recurrence);
  // The last occurrence starting at or before ms, then back while earlier ones may still cover it.
  let lo = 0;
  let hi = starts.length - 1;
  let last = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as number) <= ms) {
      last = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  for (let i = last; i >= 0 && i > last - 64; i--) {
    if ((ends[i] as number) > ms) return { start: starts[i] as number, end: ends[i] as number };
  }
  return null;
}

/** The occurrences that overlap [from, to), for the console's calendar strip. */
export function occurrencesBetween(
  startsAt: number,
  endsAt: number,
  recurrence: Recurrence,
  from: number,
  to: number,
  limit = 200,
): { start: number; end: number }[] {
  const { starts, ends } = series(startsAt, endsAt, recurrence);
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < starts.length && out.length < limit; i++) {
    if ((starts[i] as number) < to && (ends[i] as number) > from)
      out.push({ start: starts[i] as number, end: ends[i] as number });
  }
  return out;
}
