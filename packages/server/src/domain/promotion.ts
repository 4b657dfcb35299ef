/**
 * The promotion path of a version: when it first reached each subject, in order, and which
 * rungs of the environment ladder it skipped. A rung counts as skipped when the organization
 * has it in the same ladder (a subject seen in any event), it lies below a rung the version
 * reached, and the version had not reached it first. The ladder is taken to start where the
 * version first appeared, but never above STAGING: a version may start in staging, while one
 * that went straight to production skipped staging.
 */
import { isDeployType, rungOf, STAGING_LEVEL } from './environments.js';

export interface VersionEvent {
  id: string;
  source: string;
  subject: string | null;
  type: string;
  time: string;
}

export interface PromotionStep {
  subject: string;
  firstReached: string;
  source: string;
  type: string;
  eventId: string;
  /** The rung name (LOCAL … PRODUCTION) or null for a subject outside any ladder. */
  rung: string | null;
}

export interface SkippedRung {
  subject: string;
  skipped: string[];
  summary: string;
}

export interface PromotionPath {
  steps: PromotionStep[];
  skipped: SkippedRung[];
}

/** `events` oldest first; `knownSubjects` every subject the organization has used. */
export function promotionPath(events: VersionEvent[], knownSubjects: string[]): PromotionPath {
  const deploys = events.filter((e) => e.subject && isDeployType(e.type));
  const chosen = deploys.length > 0 ? deploys : events.filter((e) => e.subject);
  const steps: PromotionStep[] = [];
  const seen = new Set<string>();
  for (const e of chosen) {
    const subject = e.subject as string;
    if (seen.has(subject)) continue;
    seen.add(subject);
    steps.push({
      subject,
      firstReached: e.time,
      source: e.source,
      type: e.type,
      eventId: e.id,
      rung: rungOf(subject)?.name ?? null,
    });
  }
  const skipped: SkippedRung[] = [];
  steps.forEach((step, index) => {
    const rung = rungOf(step.subject);
    if (!rung) return;
    const earlier = steps.slice(0, index).filter((s) => rungOf(s.subject)?.group === rung.group);
    const start = Math.min(rung.level, ...earlier.map((s) => rungOf(s.subject)?.level ?? rung.level));
    const lowest = Math.min(start, STAGING_LEVEL);
    const reached = new Set(earlier.map((s) => s.subject));
    const missing = knownSubjects.filter((subject) => {
      const other = rungOf(subject);
      return (
        other?.group === rung.group &&
        other.level >= lowest &&
        other.level < rung.level &&
        !reached.has(subject)
      );
    });
    if (missing.length === 0) return;
    missing.sort((a, b) => (rungOf(a)?.level ?? 0) - (rungOf(b)?.level ?? 0));
    skipped.push({
      subject: step.subject,
      skipped: missing,
      summary: `reached ${step.subject} at ${step.firstReached} without first reaching ${missing.join(', ')}`,
    });
  });
  return { steps, skipped };
}
