/**
 * Where a health check stands after a run: a pure function of the previous state and the run.
 * One failed run is a blip, not an incident: the check goes down (and an `incident` event is
 * written) after FAILURES_BEFORE_INCIDENT consecutive failures; the first passing run after that
 * brings it up again (and writes the resolution with the incident's correlationid).
 */
import type { CheckState } from '../store/health-checks.js';

export const FAILURES_BEFORE_INCIDENT = 2;

export interface Transition {
  state: CheckState;
  /** The event this run calls for: an incident opens, an incident resolves, or nothing. */
  event: 'incident' | 'resolved' | null;
}

/**
 * @param incidentId the correlationid an incident opened by this run takes
 * @example nextState({status: 'up', failures: 1, incident: null, lastError: 'HTTP 503'}, {ok: false, error: 'HTTP 503'}, 'check:chk_1:1700000000000')
 *   // -> status down, an incident event with correlationid check:chk_1:1700000000000
 */
export function nextState(
  previous: CheckState,
  run: { ok: boolean; error: string | null },
  incidentId: string,
): Transition {
  if (run.ok)
    return {
      state: { status: 'up', failures: 0, incident: null, lastError: null },
      event: previous.incident ? 'resolved' : null,
    };
  const failures = previous.failures + 1;
  if (previous.incident)
    return { state: { ...previous, status: 'down', failures, lastError: run.error }, event: null };
  if (failures >= FAILURES_BEFORE_INCIDENT)
    return {
      state: { status: 'down', failures, incident: incidentId, lastError: run.error },
      event: 'incident',
    };
  return { state: { ...previous, failures, lastError: run.error }, event: null };
}
