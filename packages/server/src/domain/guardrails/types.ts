/** What guardrails judge and what they are made of (extended API section 4). */

/** The event types guardrails look at; each guardrail's `types` narrows them. */
export const GUARDED_TYPES = [
  'deployment',
  'rollback',
  'incident',
  'data-load',
  'deployment-status',
] as const;

/** The fields of an event a guardrail reads. `time` is UTC epoch ms. */
export interface JudgedEvent {
  type: string;
  source: string;
  subject: string | null;
  severity: string | null;
  time: number;
}

/** Lists that narrow what a guardrail applies to; empty means all. Compared in any case. */
export interface Filters {
  subjects: string[];
  sources: string[];
  types: string[];
  /** Freeze windows only. */
  severities: string[];
}

export interface Recurrence {
  /** RFC 5545 RRULE, without DTSTART (`FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0`). */
  rrule: string;
  /** ISO 8601 duration of each occurrence (`PT64H`). */
  duration: string;
  /** IANA zone the RRULE's hours and days are read in. */
  timezone: string;
}

export interface FreezeWindow extends Filters {
  id: string;
  name: string;
  startsAt: number;
  endsAt: number;
  recurrence: Recurrence | null;
  enabled: boolean;
}

export const RULE_TYPES = [
  'BLOCKED_DAYS',
  'ALLOWED_HOURS',
  'DAILY_CAP',
  'COOLDOWN',
  'ROLLBACK_RATE',
  'VELOCITY',
] as const;
export type RuleType = (typeof RULE_TYPES)[number];

export interface DeploymentPolicy extends Filters {
  id: string;
  name: string;
  ruleType: RuleType;
  config: Record<string, unknown>;
  enabled: boolean;
}

/** What a broken guardrail says about one event. */
export interface Finding {
  guardrailType: 'change-freeze' | 'deployment-policy';
  guardrailId: string;
  guardrailName: string;
  /** The policy's rule type; `FREEZE` for a window. */
  ruleType: RuleType | 'FREEZE';
  reason: string;
  /** Recurring windows: the start of the occurrence broken (each occurrence is a window of its own). */
  occurrenceStart?: number;
}
