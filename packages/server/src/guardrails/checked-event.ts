/** The hypothetical event of a check (GET /api/v1/guardrails/check and the check_change_window tool). */
import { LIMITS, parseEventTime, SEVERITIES } from '@opstrails/core';
import type { JudgedEvent } from '../domain/guardrails/types.js';
import { badRequest } from '../http/envelope.js';

/** Reads the hypothetical event of a check (also the MCP tool's arguments). */
/** Throws a VALIDATION_ERROR naming the field when an argument is wrong. */
export function checkedEvent(q: Record<string, string | undefined>, now: number): JudgedEvent {
  const source = q.source?.trim();
  if (!source) throw badRequest('source', 'is required: the system you are about to deploy, e.g. source=BE');
  if (source.length > LIMITS.sourceMax)
    throw badRequest('source', `must be at most ${LIMITS.sourceMax} characters`);
  const subject = q.subject?.trim() || null;
  if (subject && subject.length > LIMITS.subjectMax)
    throw badRequest('subject', `must be at most ${LIMITS.subjectMax} characters`);
  const type = q.type?.trim() || 'deployment';
  if (type.length > LIMITS.typeMax) throw badRequest('type', `must be at most ${LIMITS.typeMax} characters`);
  let severity: string | null = null;
  if (q.severity) {
    severity = q.severity.toUpperCase();
    if (!(SEVERITIES as readonly string[]).includes(severity))
      throw badRequest('severity', `must be one of ${SEVERITIES.join(', ')}`);
  }
  let time = now;
  if (q.time) {
    const parsed = parseEventTime(q.time, now);
    if (!parsed.ok) throw badRequest('time', parsed.message);
    time = parsed.ms;
  }
  return { source, subject, type, severity, time };
}
