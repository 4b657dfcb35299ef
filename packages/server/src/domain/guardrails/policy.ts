/** Deployment policies: one rule type each, judged on the events their filters take in. */
import { inScope, matches, sameType } from './filters.js';
import { RULES } from './rules/index.js';
import type { HistoryNeed } from './rules/rule.js';
import type { DeploymentPolicy, Finding, JudgedEvent } from './types.js';

/** The earlier events the policy's rule needs to judge `e`, or null when it needs none (or `e` is not its business). */
export function historyNeed(p: DeploymentPolicy, e: JudgedEvent): HistoryNeed | null {
  if (!p.enabled || !matches(p, e)) return null;
  return RULES[p.ruleType].history(p.config as never, e);
}

/** Whether an earlier event counts for `need` (what the store's history query selects, in memory). */
export function counts(
  p: DeploymentPolicy,
  need: HistoryNeed,
  e: JudgedEvent,
  earlier: JudgedEvent,
): boolean {
  if (earlier.time < need.from || earlier.time > need.to) return false;
  if (need.sameSourceAndSubject && (earlier.source !== e.source || earlier.subject !== e.subject))
    return false;
  if (need.types) return need.types.some((t) => sameType(t, earlier.type)) && inScope(p, earlier);
  return matches(p, earlier);
}

/** The earlier events of a timeline (in commit order) that answer `need`, newest first, limited. */
export function selectPrior(
  p: DeploymentPolicy,
  need: HistoryNeed,
  e: JudgedEvent,
  earlier: readonly JudgedEvent[],
): JudgedEvent[] {
  const found = earlier.filter((x) => counts(p, need, e, x)).sort((a, b) => b.time - a.time);
  return need.limit === undefined ? found : found.slice(0, need.limit);
}

/** The finding when `e` breaks the policy; `prior` answers `historyNeed` (ignored when that is null). */
export function judgePolicy(
  p: DeploymentPolicy,
  e: JudgedEvent,
  prior: readonly JudgedEvent[],
): Finding | null {
  if (!p.enabled || !matches(p, e)) return null;
  const reason = RULES[p.ruleType].judge(p.config as never, e, prior);
  if (reason === null) return null;
  return {
    guardrailType: 'deployment-policy',
    guardrailId: p.id,
    guardrailName: p.name,
    ruleType: p.ruleType,
    reason: `${reason} (policy "${p.name}")`,
  };
}

/** The policy's rule in plain words. */
export function policySummary(p: Pick<DeploymentPolicy, 'ruleType' | 'config'>): string {
  return RULES[p.ruleType].summary(p.config as never);
}

/** Judges every event of a timeline, each against the ones stored before it: the rule code on a crafted history. */
export function judgeTimeline(p: DeploymentPolicy, timeline: readonly JudgedEvent[]): (Finding | null)[] {
  return timeline.map((e, i) => {
    const need = historyNeed(p, e);
    const prior = need ? selectPrior(p, need, e, timeline.slice(0, i)) : [];
    return judgePolicy(p, e, prior);
  });
}
