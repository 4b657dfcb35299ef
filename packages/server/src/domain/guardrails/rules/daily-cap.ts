/** DAILY_CAP `{maxCount, timezone}`: at most maxCount matching events per calendar day in the rule's zone. */
import { describeEvent } from '../filters.js';
import { dayOf } from '../zone.js';
import { intField, objectOf, plural, type Rule } from './rule.js';
import { zoneField } from './zone-field.js';

export interface DailyCapConfig {
  maxCount: number;
  timezone: string;
}

const EXAMPLE = '{"maxCount": 5, "timezone": "Europe/Berlin"}';

export const dailyCap: Rule<DailyCapConfig> = {
  parse(config) {
    const shape = objectOf(config, ['maxCount', 'timezone'], EXAMPLE);
    if (!shape.ok) return shape;
    const c = config as Record<string, unknown>;
    const max = intField(c, 'maxCount', 1, 10_000);
    if (!max.ok) return max;
    const zone = zoneField(c);
    if (!zone.ok) return zone;
    return { ok: true, config: { maxCount: max.value, timezone: zone.value } };
  },
  summary: (c) => `at most ${plural(c.maxCount, 'deployment')} a day (${c.timezone} days)`,
  // Every matching event of the day stored before this one, whatever its time of day.
  history(c, e) {
    const day = dayOf(e.time, c.timezone);
    return { from: day.start, to: day.end - 1, limit: c.maxCount };
  },
  judge(c, e, prior) {
    if (prior.length < c.maxCount) return null;
    const { date } = dayOf(e.time, c.timezone);
    return `${describeEvent(e)} comes after ${plural(c.maxCount, 'matching event')} already on ${date} (${c.timezone}); the cap is ${c.maxCount} a day`;
  },
};
