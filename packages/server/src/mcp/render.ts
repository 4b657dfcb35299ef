/** Short text renderings for tool results: one line per event, the way a person skims a timeline. */
import type { StoredEvent } from '@opstrails/core';

export function eventLine(e: StoredEvent): string {
  const where = e.subject ? `${e.source} → ${e.subject}` : e.source;
  const description = typeof e.data?.description === 'string' ? ` — ${e.data.description.slice(0, 120)}` : '';
  return `${e.time} ${e.type} ${where}${e.version ? ` v${e.version}` : ''}${e.severity ? ` [${e.severity}]` : ''} (id ${e.id})${description}`;
}

export function eventLines(events: StoredEvent[], empty: string): string {
  return events.length === 0 ? empty : events.map(eventLine).join('\n');
}
