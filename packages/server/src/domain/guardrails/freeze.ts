/** Change freeze windows: whether an event falls in one, and the window's state. */
import { formatTime } from '@opstrails/core';
import { describeEvent, matches } from './filters.js';
import { occurrenceAt, series } from './recurrence.js';
import type { Finding, FreezeWindow, JudgedEvent } from './types.js';

export type FreezeState = 'scheduled' | 'active' | 'completed' | 'violated';

/** The window (or the occurrence of a recurring one) that contains `ms`, if any. */
export function windowAt(w: FreezeWindow, ms: number): { start: number; end: number } | null {
  if (w.recurrence) return occurrenceAt(w.startsAt, w.endsAt, w.recurrence, ms);
  return ms >= w.startsAt && ms < w.endsAt ? { start: w.startsAt, end: w.endsAt } : null;
}

/** The finding when `e` falls in an enabled window it matches, else null. */
export function judgeFreeze(w: FreezeWindow, e: JudgedEvent): Finding | null {
  if (!w.enabled || !matches(w, e)) return null;
  const hit = windowAt(w, e.time);
  if (!hit) return null;
  const span = `${formatTime(hit.start)} to ${formatTime(hit.end)}`;
  return {
    guardrailType: 'change-freeze',
    guardrailId: w.id,
    guardrailName: w.name,
    ruleType: 'FREEZE',
    reason: `${describeEvent(e)} falls in the change freeze "${w.name}" (${span}${w.recurrence ? `, one occurrence of ${w.recurrence.rrule} in ${w.recurrence.timezone}` : ''})`,
    ...(w.recurrence ? { occurrenceStart: hit.start } : {}),
  };
}

/**
 * The state at `now`: violated while the window (or occurrence) a violation was recorded for is
 * the current or the latest one; otherwise derived from time.
 */
export function freezeState(w: FreezeWindow, now: number, violatedOccurrence: number | null): FreezeState {
  const current = windowAt(w, now);
  if (violatedOccurrence !== null) {
    const latest = w.recurrence ? latestStartBefore(w, now) : w.startsAt;
    if ((current?.start ?? latest) === violatedOccurrence) return 'violated';
  }
  if (current) return 'active';
  if (w.recurrence) {
    const { starts } = series(w.startsAt, w.endsAt, w.recurrence);
    return starts.some((s) => s > now) ? 'scheduled' : 'completed';
  }
  return now < w.startsAt ? 'scheduled' : 'completed';
}

function latestStartBefore(w: FreezeWindow, now: number): number | null {
  if (!w.recurrence) return w.startsAt;
  const { starts } = series(w.startsAt, w.endsAt, w.recurrence);
  let latest: number | null = null;
  for (const s of starts) {
    if (s > now) break;
    latest = s;
  }
  return latest;
}
