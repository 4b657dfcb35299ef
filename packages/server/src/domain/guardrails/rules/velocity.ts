/** VELOCITY `{maxCount, windowMinutes}`: a deployment past the maxCount-th in the sliding windowMinutes. */
import { describeEvent, sameType } from '../filters.js';
import { intField, objectOf, plural, type Rule } from './rule.js';

export interface VelocityConfig {
  maxCount: number;
  windowMinutes: number;
}

const EXAMPLE = '{"maxCount": 3, "windowMinutes": 60}';

export const velocity: Rule<VelocityConfig> = {
  parse(config) {
    const shape = objectOf(config, ['maxCount', 'windowMinutes'], EXAMPLE);
    if (!shape.ok) return shape;
    const c = config as Record<string, unknown>;
    const max = intField(c, 'maxCount', 1, 10_000);
    if (!max.ok) return max;
    const minutes = intField(c, 'windowMinutes', 1, 10_080);
    if (!minutes.ok) return minutes;
    return { ok: true, config: { maxCount: max.value, windowMinutes: minutes.value } };
  },
  summary: (c) => `at most ${plural(c.maxCount, 'deployment')} in any ${plural(c.windowMinutes, 'minute')}`,
  history: (c, e) =>
    sameType(e.type, 'deployment')
      ? { from: e.time - c.windowMinutes * 60_000 + 1, to: e.time, types: ['deployment'], limit: c.maxCount }
      : null,
  judge(c, e, prior) {
    if (!sameType(e.type, 'deployment') || prior.length < c.maxCount) return null;
    return `${describeEvent(e)} is deployment number ${prior.length + 1} within ${plural(c.windowMinutes, 'minute')}; at most ${c.maxCount} are allowed`;
  },
};
