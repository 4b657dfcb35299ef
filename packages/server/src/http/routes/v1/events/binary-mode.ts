/**
 * CloudEvents HTTP binary mode: attributes arrive as `ce-*` headers and the body is `data`.
 * Turns such a request into the structured event the validator reads; any other `ce-*` header
 * is an extension attribute (`ce-correlationid`), checked like a structured event's.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from '@opstrails/core';
import { decodeUtf8, JSON_TYPES } from '../../../plugins/body.js';

const ATTRIBUTES = [
  'specversion',
  'type',
  'source',
  'id',
  'time',
  'subject',
  'severity',
  'version',
  'dataschema',
] as const;

/** Carried by Content-Type and the body in binary mode, never by a header of their own. */
const NOT_HEADERS = new Set(['datacontenttype', 'data', 'data_base64']);

export function isBinaryMode(headers: IncomingHttpHeaders): boolean {
  return headers['ce-specversion'] !== undefined;
}

function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** The event carried by a binary-mode request; `body` is what the body parser produced. */
export function eventFromBinaryMode(headers: IncomingHttpHeaders, body: unknown): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const name of ATTRIBUTES) {
    const value = headers[`ce-${name}`];
    if (typeof value === 'string') event[name] = decodeURIComponentSafe(value);
  }
  // Node lower-cases header names, as CloudEvents names are.
  for (const [header, value] of Object.entries(headers)) {
    const name = header.startsWith('ce-') ? header.slice(3) : undefined;
    if (!name || Object.hasOwn(event, name) || NOT_HEADERS.has(name) || typeof value !== 'string') continue;
    // An own property even for `ce-__proto__`, so the validator sees the name and refuses it.
    Object.defineProperty(event, name, {
      value: decodeURIComponentSafe(value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  const type = mediaType(headers);
  if (type) event.datacontenttype = headers['content-type'];
  if (body === undefined || body === null || (Buffer.isBuffer(body) && body.length === 0)) return event;
  if (Buffer.isBuffer(body)) {
    if (type && !type.endsWith('json')) {
      throw new ApiError(
        'VALIDATION_ERROR',
        `data: binary-mode body has Content-Type ${type}; OpsTrails stores data as a JSON object, send application/json`,
        415,
      );
    }
    try {
      event.data = JSON.parse(decodeUtf8(body));
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw new ApiError('VALIDATION_ERROR', 'data: the binary-mode body is not valid JSON');
    }
  } else {
    event.data = body;
  }
  if (JSON_TYPES.includes(type) && Array.isArray(event.data)) {
    throw new ApiError('VALIDATION_ERROR', 'data: must be a JSON object, not an array');
  }
  return event;
}

/** CloudEvents percent-encodes header values outside printable ASCII. */
function decodeURIComponentSafe(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
