/** The six rule types of deployment policies, by name. */
import type { RuleType } from '../types.js';
import { allowedHours } from './allowed-hours.js';
import { blockedDays } from './blocked-days.js';
import { cooldown } from './cooldown.js';
import { dailyCap } from './daily-cap.js';
import { rollbackRate } from './rollback-rate.js';
import type { Rule } from './rule.js';
import { velocity } from './velocity.js';

export const RULES: Record<RuleType, Rule<never>> = {
  BLOCKED_DAYS: blockedDays as Rule<never>,
  ALLOWED_HOURS: allowedHours as Rule<never>,
  DAILY_CAP: dailyCap as Rule<never>,
  COOLDOWN: cooldown as Rule<never>,
  ROLLBACK_RATE: rollbackRate as Rule<never>,
  VELOCITY: velocity as Rule<never>,
};
