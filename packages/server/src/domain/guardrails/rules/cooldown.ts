/** COOLDOWN `{cooldownMinutes}`: a matching event less than cooldownMinutes after the previous one of the same source and subject. */
import { describeEvent } from '../filters.js';
import { intField, objectOf, plural, type Rule } from './rule.js';

export interface CooldownConfig {
  cooldownMinutes: number;
}

const EXAMPLE = '{"cooldownMinutes": 30}';

export const cooldown: Rule<CooldownConfig> = {
  parse(config) {
    const shape = objectOf(config, ['cooldownMinutes'], EXAMPLE);
    if (!shape.ok) return shape;
    const minutes = intField(config as Record<string, unknown>, 'cooldownMinutes', 1, 10_080);
    if (!minutes.ok) return minutes;
    return { ok: true, config: { cooldownMinutes: minutes.value } };
  },
  summary: (c) =>
    `at least ${plural(c.cooldownMinutes, 'minute')} between deployments of one source to one subject`,
  history: (c, e) => ({
    from: e.time - c.cooldownMinutes * 60_000 + 1,
    to: e.time,
    sameSourceAndSubject: true,
    limit: 1,
    newestFirst: true,
  }),
  judge(c, e, prior) {
    const previous = prior.reduce<number | null>((t, p) => (t === null || p.time > t ? p.time : t), null);
    if (previous === null) return null;
    const gapMinutes = Math.floor((e.time - previous) / 60_000);
    return `${describeEvent(e)} comes ${plural(gapMinutes, 'minute')} after the previous one of ${e.source}${e.subject ? ` to ${e.subject}` : ''}; the cooldown is ${plural(c.cooldownMinutes, 'minute')}`;
  },
};
