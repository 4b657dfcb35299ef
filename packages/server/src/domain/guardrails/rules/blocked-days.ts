/** BLOCKED_DAYS `{days, timezone}`: no matching event on a listed day, in the rule's zone. */
import { describeEvent } from '../filters.js';
import { wallClock } from '../zone.js';
import { objectOf, type Rule } from './rule.js';
import { zoneField } from './zone-field.js';

/** Indexed as Date#getDay: 0 = Sunday. */
export const DAY_NAMES = [
  'SUNDAY',
  'MONDAY',
  'TUESDAY',
  'WEDNESDAY',
  'THURSDAY',
  'FRIDAY',
  'SATURDAY',
] as const;
export type DayName = (typeof DAY_NAMES)[number];

export interface BlockedDaysConfig {
  days: DayName[];
  timezone: string;
}

const EXAMPLE = '{"days": ["SATURDAY", "SUNDAY"], "timezone": "Europe/Berlin"}';
const title = (d: string) => d[0] + d.slice(1).toLowerCase();

function listWords(items: string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export const blockedDays: Rule<BlockedDaysConfig> = {
  parse(config) {
    const shape = objectOf(config, ['days', 'timezone'], EXAMPLE);
    if (!shape.ok) return shape;
    const c = config as Record<string, unknown>;
    const days = c.days;
    if (!Array.isArray(days) || days.length === 0)
      return { ok: false, field: 'config.days', message: `must list at least one day: ${EXAMPLE}` };
    const named: DayName[] = [];
    for (const d of days) {
      const upper = typeof d === 'string' ? d.toUpperCase() : '';
      if (!(DAY_NAMES as readonly string[]).includes(upper))
        return {
          ok: false,
          field: 'config.days',
          message: `${JSON.stringify(d)} is not a day; use ${DAY_NAMES.join(', ')}`,
        };
      if (!named.includes(upper as DayName)) named.push(upper as DayName);
    }
    const zone = zoneField(c);
    if (!zone.ok) return zone;
    named.sort((a, b) => ((DAY_NAMES.indexOf(a) + 6) % 7) - ((DAY_NAMES.indexOf(b) + 6) % 7));
    return { ok: true, config: { days: named, timezone: zone.value } };
  },
  summary: (c) => `no deployments on ${listWords(c.days.map(title))} (${c.timezone} time)`,
  history: () => null,
  judge(c, e) {
    const day = DAY_NAMES[wallClock(e.time, c.timezone).weekday] as DayName;
    if (!c.days.includes(day)) return null;
    return `${describeEvent(e)} is on a ${title(day)} in ${c.timezone}, a blocked day`;
  },
};
