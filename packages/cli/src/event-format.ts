/** How events look in a terminal: table rows and one-line summaries. */
import type { StoredEvent } from '@opstrails/sdk';

export const EVENT_HEADERS = [
  'TIME',
  'TYPE',
  'SOURCE',
  'SUBJECT',
  'SEVERITY',
  'VERSION',
  'ID',
  'DESCRIPTION',
];

const DESCRIPTION_WIDTH = 60;

export function eventRow(event: StoredEvent): string[] {
  const description = typeof event.data?.description === 'string' ? event.data.description : '';
  const oneLine = description.replace(/\s+/g, ' ');
  return [
    event.time,
    event.type,
    event.source,
    event.subject ?? '-',
    event.severity ?? '-',
    event.version ?? '-',
    event.id,
    oneLine.length > DESCRIPTION_WIDTH ? `${oneLine.slice(0, DESCRIPTION_WIDTH - 1)}…` : oneLine,
  ];
}

export function eventLine(event: StoredEvent): string {
  return eventRow(event)
    .filter((cell, i) => i < EVENT_HEADERS.length - 1 || cell !== '')
    .join('  ');
}
