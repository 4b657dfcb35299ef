/** Short text renderings for tool results: one line per event, the way a person skims a timeline. */
import { extensionsOf, type StoredEvent } from '@opstrails/core';

export function eventLine(e: StoredEvent): string {
  const where = e.subject ? `${e.source} → ${e.subject}` : e.source;
  const description = typeof e.data?.description === 'string' ? ` — ${e.data.description.slice(0, 120)}` : '';
  return `${e.time} ${e.type} ${where}${e.version ? ` ${versionLabel(e.version)}` : ''}${e.severity ? ` [${e.severity}]` : ''} (id ${e.id})${extensionsText(e)}${description}`;
}

/**
 * A version as people write it: a bare number gets its "v" (`1.2.0` → `v1.2.0`); anything else
 * is shown as sent, so `v1.2.0` never becomes `vv1.2.0` and a commit id is not dressed as a version.
 */
export function versionLabel(version: string): string {
  return /^\d+(\.\d+)*([-+].*)?$/.test(version) ? `v${version}` : version;
}

/** The CloudEvents extension attributes (`correlationid`, ...) that link this event to others, compactly. */
function extensionsText(e: StoredEvent): string {
  const entries = Object.entries(extensionsOf(e));
  if (entries.length === 0) return '';
  return ` {${entries.map(([name, value]) => `${name}: ${String(value).slice(0, 80)}`).join(', ')}}`;
}

export function eventLines(events: StoredEvent[], empty: string): string {
  return events.length === 0 ? empty : events.map(eventLine).join('\n');
}
