/**
 * ROLLBACK_RATE `{threshold, windowHours, minDeployments}`: a rollback while rollbacks /
 * deployments over the last windowHours (itself included) exceed threshold, with at least
 * minDeployments deployments.
 */
import { describeEvent, sameType } from '../filters.js';
import { intField, objectOf, plural, type Rule } from './rule.js';

export interface RollbackRateConfig {
  threshold: number;
  windowHours: number;
  minDeployments: number;
}

const EXAMPLE = '{"threshold": 0.2, "windowHours": 24, "minDeployments": 5}';
const percent = (x: number) => `${Math.round(x * 1000) / 10}%`;

export const rollbackRate: Rule<RollbackRateConfig> = {
  parse(config) {
    const shape = objectOf(config, ['threshold', 'windowHours', 'minDeployments'], EXAMPLE);
    if (!shape.ok) return shape;
    const c = config as Record<string, unknown>;
    const t = c.threshold;
    if (typeof t !== 'number' || !Number.isFinite(t) || t < 0 || t > 1)
      return {
        ok: false,
        field: 'config.threshold',
        message: `${t === undefined ? 'is required' : `must be a number from 0 to 1, not ${JSON.stringify(t)}`}: the share of rollbacks, e.g. 0.2 for 20%`,
      };
    const hours = intField(c, 'windowHours', 1, 720);
    if (!hours.ok) return hours;
    const min = intField(c, 'minDeployments', 1, 100_000);
    if (!min.ok) return min;
    return { ok: true, config: { threshold: t, windowHours: hours.value, minDeployments: min.value } };
  },
  summary: (c) =>
    `rollbacks at most ${percent(c.threshold)} of deployments over ${plural(c.windowHours, 'hour')} (once there are ${plural(c.minDeployments, 'deployment')})`,
  history: (c, e) =>
    sameType(e.type, 'rollback')
      ? { from: e.time - c.windowHours * 3_600_000 + 1, to: e.time, types: ['deployment', 'rollback'] }
      : null,
  judge(c, e, prior) {
    if (!sameType(e.type, 'rollback')) return null;
    const deployments = prior.filter((p) => sameType(p.type, 'deployment')).length;
    const rollbacks = prior.filter((p) => sameType(p.type, 'rollback')).length + 1;
    if (deployments < c.minDeployments) return null;
    const rate = rollbacks / deployments;
    if (rate <= c.threshold) return null;
    return `${describeEvent(e)} makes ${plural(rollbacks, 'rollback')} for ${plural(deployments, 'deployment')} in the last ${plural(c.windowHours, 'hour')} (${percent(rate)}), over the ${percent(c.threshold)} allowed`;
  },
};
