/** The events table's row type and the conversions between rows and the API's events. */
import { type Extensions, formatTime, type NewEvent, type Severity, type StoredEvent } from '@opstrails/core';
import type { Insertable, Selectable } from 'kysely';
import { foldCase } from './fold-case.js';
import type { EventsTable } from './schema.js';

export type EventRow = Selectable<EventsTable>;

export interface InsertOutcome {
  event: StoredEvent;
  seq: number;
  /** False when source + id was already stored: the answer is the stored event. */
  created: boolean;
}

/**
 * The columns an answer renders, and the keyset position: what listing and export read. Reading
 * every column costs decoding each into the row object (a third of a filtered page's time on
 * SQLite once the folded and link columns joined the table).
 */
export const RENDERED_COLUMNS = [
  'seq',
  'id',
  'source',
  'type',
  'subject',
  'severity',
  'version',
  'time',
  'received_at',
  'datacontenttype',
  'dataschema',
  'data',
  'extensions',
] as const satisfies readonly (keyof EventRow)[];

export type RenderedRow = Pick<EventRow, (typeof RENDERED_COLUMNS)[number]>;

export function toStoredEvent(row: RenderedRow): StoredEvent {
  return {
    id: row.id,
    specversion: '1.0',
    type: row.type,
    source: row.source,
    time: formatTime(Number(row.time)),
    subject: row.subject,
    severity: row.severity as Severity | null,
    version: row.version,
    datacontenttype: row.datacontenttype,
    dataschema: row.dataschema,
    data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
    createdAt: formatTime(Number(row.received_at)),
    // After the twelve fields, which keep their names and order.
    ...(row.extensions === null ? {} : (JSON.parse(row.extensions) as Extensions)),
  };
}

/** The stored event of a row just inserted from `e`, without reading the row back. */
export function storedFromNew(e: NewEvent, receivedAt: number): StoredEvent {
  return {
    id: e.id,
    specversion: '1.0',
    type: e.type,
    source: e.source,
    time: formatTime(e.time),
    subject: e.subject,
    severity: e.severity,
    version: e.version,
    datacontenttype: e.datacontenttype,
    dataschema: e.dataschema,
    data: e.data,
    createdAt: formatTime(receivedAt),
    ...e.extensions,
  };
}

/** The text of a linking extension (`correlationid`, `causationid`) for its indexed column. */
function linkText(extensions: Extensions | null | undefined, name: string): string | null {
  const value = extensions?.[name];
  return value === undefined ? null : String(value);
}

export function toInsertRow(orgId: string, e: NewEvent, receivedAt: number): Insertable<EventsTable> {
  const description = typeof e.data?.description === 'string' ? e.data.description : '';
  return {
    org_id: orgId,
    id: e.id,
    source: e.source,
    type: e.type,
    subject: e.subject,
    severity: e.severity,
    version: e.version,
    time: e.time,
    received_at: receivedAt,
    datacontenttype: e.datacontenttype,
    dataschema: e.dataschema,
    data: e.data === null ? null : JSON.stringify(e.data),
    search_text: [e.type, e.source, e.subject ?? '', e.version ?? '', description].join('\n').toLowerCase(),
    size: e.size,
    extensions: e.extensions ? JSON.stringify(e.extensions) : null,
    correlationid: linkText(e.extensions, 'correlationid'),
    causationid: linkText(e.extensions, 'causationid'),
    type_lower: foldCase(e.type),
    source_lower: foldCase(e.source),
    subject_lower: e.subject === null ? null : foldCase(e.subject),
  };
}

/** The CloudEvents identity of an event: source + id. */
export const identity = (source: string, id: string) => `${source}\u0000${id}`;
