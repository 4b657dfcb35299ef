/** ALLOWED_HOURS `{startHour, endHour, timezone}`: matching events only in [startHour, endHour), wrapping midnight when start > end. */
import { describeEvent } from '../filters.js';
import { wallClock } from '../zone.js';
import { intField, objectOf, type Rule } from './rule.js';
import { zoneField } from './zone-field.js';

export interface AllowedHoursConfig {
  startHour: number;
  endHour: number;
  timezone: string;
}

const EXAMPLE = '{"startHour": 9, "endHour": 17, "timezone": "Europe/Berlin"}';
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`;

/** True when `hour` is inside [start, end), wrapping midnight when start > end. */
export function hourAllowed(hour: number, start: number, end: number): boolean {
  return start <= end ? hour >= start && hour < end : hour >= start || hour < end;
}

export const allowedHours: Rule<AllowedHoursConfig> = {
  parse(config) {
    const shape = objectOf(config, ['startHour', 'endHour', 'timezone'], EXAMPLE);
    if (!shape.ok) return shape;
    const c = config as Record<string, unknown>;
    const start = intField(c, 'startHour', 0, 23);
    if (!start.ok) return start;
    const end = intField(c, 'endHour', 0, 23);
    if (!end.ok) return end;
    if (start.value === end.value)
      return {
        ok: false,
        field: 'config.endHour',
        message: `equals startHour, which would allow no hour at all; for ${hh(start.value)}-${hh(start.value)} use a different endHour`,
      };
    const zone = zoneField(c);
    if (!zone.ok) return zone;
    return { ok: true, config: { startHour: start.value, endHour: end.value, timezone: zone.value } };
  },
  summary: (c) => `deployments only between ${hh(c.startHour)} and ${hh(c.endHour)} (${c.timezone} time)`,
  history: () => null,
  judge(c, e) {
    const w = wallClock(e.time, c.timezone);
    if (hourAllowed(w.hour, c.startHour, c.endHour)) return null;
    const local = `${String(w.hour).padStart(2, '0')}:${String(w.minute).padStart(2, '0')}`;
    return `${describeEvent(e)} is at ${local} in ${c.timezone}, outside the allowed hours ${hh(c.startHour)}-${hh(c.endHour)}`;
  },
};
