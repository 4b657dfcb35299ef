/** The wire forms of freeze windows and deployment policies (extended API section 4). */
import { formatTime } from '@opstrails/core';
import { freezeState } from '../../../../domain/guardrails/freeze.js';
import { policySummary } from '../../../../domain/guardrails/policy.js';
import { occurrencesBetween } from '../../../../domain/guardrails/recurrence.js';
import type { StoredFreeze, StoredPolicy } from '../../../../store/guardrails.js';

const DAY_MS = 86_400_000;

/** A window with its state at `now` and (ours) its occurrences from a week ago to 90 days ahead, for calendars. */
export function freezeAnswer(w: StoredFreeze, now = Date.now()) {
  const from = now - 7 * DAY_MS;
  const to = now + 90 * DAY_MS;
  const occurrences = w.recurrence
    ? occurrencesBetween(w.startsAt, w.endsAt, w.recurrence, from, to, 100)
    : w.startsAt < to && w.endsAt > from
      ? [{ start: w.startsAt, end: w.endsAt }]
      : [];
  return {
    id: w.id,
    name: w.name,
    startsAt: formatTime(w.startsAt),
    endsAt: formatTime(w.endsAt),
    subjects: w.subjects,
    sources: w.sources,
    types: w.types,
    severities: w.severities,
    notificationChannels: w.notificationChannels,
    enabled: w.enabled,
    recurrence: w.recurrence,
    state: freezeState(w, now, w.violatedOccurrence),
    occurrences: occurrences.map((o) => ({ start: formatTime(o.start), end: formatTime(o.end) })),
    createdAt: formatTime(w.createdAt),
    updatedAt: formatTime(w.updatedAt),
  };
}

/** A policy with (ours) its rule in plain words. */
export function policyAnswer(p: StoredPolicy) {
  return {
    id: p.id,
    name: p.name,
    ruleType: p.ruleType,
    config: p.config,
    subjects: p.subjects,
    sources: p.sources,
    types: p.types,
    notificationChannels: p.notificationChannels,
    enabled: p.enabled,
    summary: policySummary(p),
    createdAt: formatTime(p.createdAt),
    updatedAt: formatTime(p.updatedAt),
  };
}
