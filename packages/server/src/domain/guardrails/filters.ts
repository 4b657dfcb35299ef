/** Whether a guardrail's filters take in an event, and how an event is named in a reason. */
import { formatTime } from '@opstrails/core';
import { type Filters, GUARDED_TYPES, type JudgedEvent } from './types.js';

const fold = (s: string) => s.toLowerCase();

function listed(list: string[], value: string | null): boolean {
  if (list.length === 0) return true;
  if (value === null) return false;
  const v = fold(value);
  return list.some((x) => fold(x) === v);
}

/** True for the types guardrails judge at all (any case). */
export function isGuardedType(type: string): boolean {
  return (GUARDED_TYPES as readonly string[]).includes(fold(type));
}

/** Subject and source filters only (what counting rules use for the events they count). */
export function inScope(
  f: Pick<Filters, 'subjects' | 'sources'>,
  e: Pick<JudgedEvent, 'subject' | 'source'>,
): boolean {
  return listed(f.subjects, e.subject) && listed(f.sources, e.source);
}

/** Every filter: a guarded type, in the guardrail's types, subjects, sources and severities. */
export function matches(f: Filters, e: JudgedEvent): boolean {
  return (
    isGuardedType(e.type) && listed(f.types, e.type) && inScope(f, e) && listed(f.severities, e.severity)
  );
}

/** "deployment of BE to PRODUCTION at 2026-12-25T14:30:00.000Z" */
export function describeEvent(e: JudgedEvent): string {
  const where = e.subject ? ` to ${e.subject}` : '';
  return `${e.type} of ${e.source}${where} at ${formatTime(e.time)}`;
}

export const sameType = (a: string, b: string) => fold(a) === fold(b);
