/** Guardrails (extended API section 4): pure judgment of events against freeze windows and deployment policies. */
export { describeEvent, isGuardedType, matches } from './filters.js';
export { type FreezeState, freezeState, judgeFreeze, windowAt } from './freeze.js';
export { counts, historyNeed, judgePolicy, judgeTimeline, policySummary, selectPrior } from './policy.js';
export { occurrencesBetween, parseDuration, rruleProblem } from './recurrence.js';
export { RULES } from './rules/index.js';
export type { HistoryNeed } from './rules/rule.js';
export * from './types.js';
