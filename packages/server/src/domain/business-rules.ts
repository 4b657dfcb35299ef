/**
 * Reads the few rules `what_changed` acts on out of the free-text business context, by simple
 * patterns, deterministically (no model). Each rule keeps the sentence it came from, so a ranked
 * result can quote it. Recognised, one sentence (or line) at a time:
 * - coupling: "BE and DB deployments are tightly coupled", "FE, BE & CACHE are coupled"
 * - staging first: "deploy to staging before production", "staging before prod"
 * - deploy window: "Deployments happen during business hours (9:00–18:00 CET) on weekdays";
 *   the zone is an IANA name or a common abbreviation (CET means Central European time, with
 *   its summer shift); without one, UTC. "weekdays" / "Monday to Friday" / "Mon-Fri" limit days.
 */

export interface DeployWindow {
  startMinute: number;
  endMinute: number;
  weekdaysOnly: boolean;
  timeZone: string;
  /** How the context wrote it, e.g. "9:00–18:00 CET, weekdays". */
  label: string;
}

export interface BusinessRules {
  /** Groups of sources the context says change together. */
  coupled: { sources: string[]; sentence: string }[];
  stagingFirst: { sentence: string } | null;
  deployWindow: (DeployWindow & { sentence: string }) | null;
}

const ZONES: Record<string, string> = {
  UTC: 'UTC',
  GMT: 'UTC',
  Z: 'UTC',
  CET: 'Europe/Paris',
  CEST: 'Europe/Paris',
  EET: 'Europe/Helsinki',
  EEST: 'Europe/Helsinki',
  WET: 'Europe/Lisbon',
  BST: 'Europe/London',
  ET: 'America/New_York',
  EST: 'America/New_York',
  EDT: 'America/New_York',
  CT: 'America/Chicago',
  CST: 'America/Chicago',
  CDT: 'America/Chicago',
  MT: 'America/Denver',
  PT: 'America/Los_Angeles',
  PST: 'America/Los_Angeles',
  PDT: 'America/Los_Angeles',
  IST: 'Asia/Kolkata',
  JST: 'Asia/Tokyo',
  AEST: 'Australia/Sydney',
};

const COUPLED = /^(.*?)\s+(?:are|is|stay|remain)\s+(?:\w+\s+)?coupled/i;
const FILLER = /\b(?:deployments?|deploys?|releases?|changes?|services?|systems?|the|our)\b/gi;
const STAGING_FIRST = /\b(?:staging|stage)\b.*\bbefore\b.*\b(?:production|prod)\b/i;
const HOURS =
  /(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?\s*(?:–|—|-|to|until)\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?(?:\s*\(?\s*([A-Za-z]+(?:\/[A-Za-z_]+)*))?/i;
const WEEKDAYS = /\bweekdays?\b|\bmon(?:day)?\s*(?:–|—|-|to|through)\s*fri(?:day)?\b|\bbusiness days\b/i;

function sentences(text: string): string[] {
  // A line that starts in lower case continues the sentence above it (wrapped prose).
  return text
    .replace(/\n[ \t]*(?=[a-z(])/g, ' ')
    .split(/\n+|(?<=[.!?])\s+/)
    .map((s) => s.replace(/^[\s\-*•]+/, '').trim())
    .filter((s) => s.length > 0);
}

function hour(h: string, m: string | undefined, ampm: string | undefined): number {
  let value = Number(h) % 24;
  if (ampm?.toLowerCase() === 'pm' && value < 12) value += 12;
  if (ampm?.toLowerCase() === 'am' && value === 12) value = 0;
  return value * 60 + Number(m ?? 0);
}

function zoneOf(word: string | undefined): string | null {
  if (!word) return null;
  if (word.includes('/')) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: word });
      return word;
    } catch {
      return null;
    }
  }
  return ZONES[word.toUpperCase()] ?? null;
}

function readCoupling(sentence: string): string[] | null {
  const match = COUPLED.exec(sentence);
  if (!match?.[1]) return null;
  const names = match[1]
    .replace(FILLER, ' ')
    .split(/\s*(?:,|&|\band\b|\+)\s*/i)
    .map((part) => part.trim().split(/\s+/).pop() ?? '')
    .filter((name) => /^[A-Za-z0-9/._:-]+$/.test(name));
  return names.length >= 2 ? names : null;
}

function readWindow(sentence: string): DeployWindow | null {
  if (!/\b(?:deploy|release|ship|change)/i.test(sentence)) return null;
  const m = HOURS.exec(sentence);
  if (!m?.[1] || !m[4]) return null;
  const zoneWord = m[7];
  const zone = zoneOf(zoneWord);
  const weekdaysOnly = WEEKDAYS.test(sentence);
  const start = hour(m[1], m[2], m[3]);
  const end = hour(m[4], m[5], m[6]);
  if (start === end) return null;
  const clock = (min: number) => `${Math.floor(min / 60)}:${String(min % 60).padStart(2, '0')}`;
  const zoneLabel = zone ? (zoneWord as string) : 'UTC';
  return {
    startMinute: start,
    endMinute: end,
    weekdaysOnly,
    timeZone: zone ?? 'UTC',
    label: `${clock(start)}–${clock(end)} ${zoneLabel}${weekdaysOnly ? ', weekdays' : ''}`,
  };
}

export function parseBusinessRules(context: string | null): BusinessRules {
  const rules: BusinessRules = { coupled: [], stagingFirst: null, deployWindow: null };
  if (!context) return rules;
  for (const sentence of sentences(context)) {
    const coupled = readCoupling(sentence);
    if (coupled) rules.coupled.push({ sources: coupled, sentence });
    if (!rules.stagingFirst && STAGING_FIRST.test(sentence)) rules.stagingFirst = { sentence };
    if (!rules.deployWindow) {
      const window = readWindow(sentence);
      if (window) rules.deployWindow = { ...window, sentence };
    }
  }
  return rules;
}

/** Sources the context couples with `source` (case-insensitive), with the sentence that says so. */
export function coupledWith(rules: BusinessRules, source: string): { sources: string[]; sentence: string }[] {
  const s = source.toUpperCase();
  return rules.coupled.filter((c) => c.sources.some((x) => x.toUpperCase() === s));
}

const WEEKDAY_INDEX: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 0 };

/** Formatters are costly to build and ranking asks one per event: one per zone, kept. */
const clocks = new Map<string, Intl.DateTimeFormat>();

function localClock(timeZone: string): Intl.DateTimeFormat {
  let clock = clocks.get(timeZone);
  if (!clock) {
    clock = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    clocks.set(timeZone, clock);
  }
  return clock;
}

/** Whether `ms` falls outside the window, and the local time it fell on ("Sat 02:14"). */
export function outsideWindow(window: DeployWindow, ms: number): { outside: boolean; local: string } {
  const parts = Object.fromEntries(
    localClock(window.timeZone)
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  const day = WEEKDAY_INDEX[parts.weekday as string] ?? 1;
  const inHours =
    window.startMinute < window.endMinute
      ? minute >= window.startMinute && minute < window.endMinute
      : minute >= window.startMinute || minute < window.endMinute;
  const onDay = !window.weekdaysOnly || (day >= 1 && day <= 5);
  return { outside: !(inHours && onDay), local: `${parts.weekday} ${parts.hour}:${parts.minute}` };
}
