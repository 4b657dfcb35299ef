/**
 * OTLP/HTTP JSON traces to events (contract section 2): each span of an ExportTraceServiceRequest
 * becomes one event to validate and store like any other. Pure: no I/O.
 */
import { LIMITS } from '@opstrails/core';

/** One span turned into an event as a sender would write it; `location` points into the request. */
export interface SpanEvent {
  location: string;
  event: Record<string, unknown>;
}

export interface SpanRejection {
  location: string;
  reason: string;
}

export type TracesResult =
  | { ok: true; events: SpanEvent[]; rejected: SpanRejection[] }
  | { ok: false; error: string };

/** The id every span's event gets: a collector's retry stores nothing new (source + id). */
export const spanEventId = (traceId: string, spanId: string) => `${traceId}-${spanId}`;

/** Whether an event id is one this mapping gave a span (hex trace id, hex span id). */
export const isSpanEventId = (id: string) => /^[0-9a-f]{32}-[0-9a-f]{16}$/.test(id);

/** Keys the event model refuses anywhere in `data`; attributes named so are left out. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/**
 * Keys of `data` this mapping writes; a span attribute of the same name is left out. `timezone`
 * is here too because the event model reads `data.timezone` as the event's IANA zone.
 */
const RESERVED_KEYS = new Set([
  'description',
  'traceId',
  'spanId',
  'durationMs',
  'status',
  'statusMessage',
  'truncated',
  'timezone',
]);
/** How many dropped attribute names `data.truncated` lists. */
const DROPPED_NAMES_MAX = 20;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

class TooDeep extends Error {}

/** An OTLP AnyValue as plain JSON. int64 stays a string when a JS number cannot hold it exactly. */
function plainValue(value: unknown, depth: number): unknown {
  if (depth > LIMITS.dataDepthMax) throw new TooDeep();
  if (!isObject(value)) return null;
  if ('stringValue' in value) return typeof value.stringValue === 'string' ? value.stringValue : null;
  if ('boolValue' in value) return value.boolValue === true;
  if ('intValue' in value) {
    const n = Number(value.intValue);
    return Number.isSafeInteger(n) ? n : String(value.intValue);
  }
  if ('doubleValue' in value) {
    const n = Number(value.doubleValue);
    // JSON has no NaN or Infinity: OTLP/JSON sends them as strings, kept as such.
    return Number.isFinite(n) ? n : String(value.doubleValue);
  }
  if ('arrayValue' in value) {
    const values = isObject(value.arrayValue) ? value.arrayValue.values : undefined;
    return Array.isArray(values) ? values.map((v) => plainValue(v, depth + 1)) : [];
  }
  if ('kvlistValue' in value) {
    return attributesObject(isObject(value.kvlistValue) ? value.kvlistValue.values : undefined, depth + 1);
  }
  if ('bytesValue' in value) return typeof value.bytesValue === 'string' ? value.bytesValue : null;
  return null;
}

/** A KeyValue list as a flat object: `http.request.method` stays one key. */
function attributesObject(list: unknown, depth: number): Json {
  const out: Json = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (!isObject(kv) || typeof kv.key !== 'string' || FORBIDDEN_KEYS.has(kv.key)) continue;
    out[kv.key] = plainValue(kv.value, depth + 1);
  }
  return out;
}

/** Span name to event type: `GET /api/users/{id}` -> `get-api-users-id`, `processOrder` -> `process-order`. */
export function spanType(name: string): string {
  return name
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1-$2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1-$2')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+/, '')
    .slice(0, LIMITS.typeMax)
    .replace(/-+$/, '');
}

/** Nanoseconds since the epoch, sent as a decimal string (int64 in OTLP/JSON) or a number. */
function nanos(value: unknown): bigint | null {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  // The same ceiling as the 20-digit string: 1e300 would pass Number.isInteger and break Date.
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < 1e20)
    return BigInt(value);
  return null;
}

function statusCode(status: unknown): 'UNSET' | 'OK' | 'ERROR' {
  const code = isObject(status) ? status.code : undefined;
  if (code === 2 || code === 'STATUS_CODE_ERROR') return 'ERROR';
  if (code === 1 || code === 'STATUS_CODE_OK') return 'OK';
  return 'UNSET';
}

const byteSize = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * Drops the biggest span attributes until the event fits the size limit, and records which in
 * `data.truncated`. Sizes are estimated per attribute so a span with thousands of attributes is
 * not re-serialized once per drop; the final size is then measured.
 */
function fitSize(event: Json, data: Json, attributeKeys: string[]): void {
  let size = byteSize(event);
  if (size <= LIMITS.eventBytesMax) return;
  const bySize = attributeKeys
    .map((key) => ({ key, bytes: byteSize({ [key]: data[key] }) }))
    .sort((a, b) => b.bytes - a.bytes);
  const dropped: string[] = [];
  // Room for `"truncated": {…}` itself, with the longest allowed list of names.
  const reserve = 200 + bySize.slice(0, DROPPED_NAMES_MAX).reduce((sum, a) => sum + a.key.length + 3, 0);
  for (const { key, bytes } of bySize) {
    delete data[key];
    dropped.push(key);
    size -= bytes;
    if (size + reserve > LIMITS.eventBytesMax) continue;
    data.truncated = {
      reason: `the event would exceed ${LIMITS.eventBytesMax} bytes; the largest span attributes were left out`,
      droppedAttributes: dropped.slice(0, DROPPED_NAMES_MAX),
      droppedCount: dropped.length,
    };
    size = byteSize(event);
    if (size <= LIMITS.eventBytesMax) return;
  }
}

interface Resource {
  source: string | null;
  subject: string | null;
  version: string | null;
}

function resourceOf(attributes: Json): Resource {
  const text = (key: string) => {
    const v = attributes[key];
    return typeof v === 'string' && v !== '' ? v : null;
  };
  return {
    source: text('service.name'),
    subject: text('deployment.environment.name') ?? text('deployment.environment'),
    version: text('service.version'),
  };
}

/** One span to an event, or the reason it cannot be one. */
function spanEvent(span: Json, resource: Resource): { event: Json } | { reason: string } {
  if (!resource.source) {
    return {
      reason:
        'resource attribute service.name: missing; set it in the SDK (OTEL_SERVICE_NAME) or with the collector resource processor',
    };
  }
  const name = typeof span.name === 'string' ? span.name : '';
  const type = spanType(name);
  if (!type) return { reason: 'name: must contain letters or digits to make the event type from' };
  const traceId = typeof span.traceId === 'string' ? span.traceId.toLowerCase() : '';
  if (!/^[0-9a-f]{32}$/.test(traceId) || /^0+$/.test(traceId))
    return { reason: 'traceId: must be 32 hex characters, not all zero (OTLP/JSON sends ids as hex)' };
  const spanId = typeof span.spanId === 'string' ? span.spanId.toLowerCase() : '';
  if (!/^[0-9a-f]{16}$/.test(spanId) || /^0+$/.test(spanId))
    return { reason: 'spanId: must be 16 hex characters, not all zero (OTLP/JSON sends ids as hex)' };
  const start = nanos(span.startTimeUnixNano);
  if (!start)
    return { reason: 'startTimeUnixNano: must be nanoseconds since the epoch, as a string or number' };
  const end = nanos(span.endTimeUnixNano);
  const durationMs = end !== null && end >= start ? Math.round(Number(end - start) / 1_000) / 1_000 : null;

  const status = statusCode(span.status);
  const rawMessage = isObject(span.status) ? span.status.message : undefined;
  const statusMessage =
    typeof rawMessage === 'string' && rawMessage !== '' ? rawMessage.slice(0, LIMITS.descriptionMax) : null;
  const description = [
    name,
    durationMs !== null ? ` took ${durationMs} ms` : '',
    status === 'ERROR' ? ` and failed${statusMessage ? `: ${statusMessage}` : ''}` : '',
  ]
    .join('')
    .slice(0, LIMITS.descriptionMax);

  let attributes: Json;
  try {
    attributes = attributesObject(span.attributes, 0);
  } catch (error) {
    if (error instanceof TooDeep)
      return { reason: `attributes: nest deeper than ${LIMITS.dataDepthMax} levels` };
    throw error;
  }
  const attributeKeys = Object.keys(attributes).filter((key) => !RESERVED_KEYS.has(key));
  const data: Json = {};
  for (const key of attributeKeys) data[key] = attributes[key];
  Object.assign(data, { description, traceId, spanId, durationMs, status });
  if (statusMessage) data.statusMessage = statusMessage;

  const event: Json = {
    specversion: '1.0',
    id: spanEventId(traceId, spanId),
    type,
    source: resource.source,
    time: new Date(Number(start / 1_000_000n)).toISOString(),
    subject: resource.subject,
    version: resource.version,
    severity: status === 'ERROR' ? 'MAJOR' : null,
    data,
  };
  fitSize(event, data, attributeKeys);
  return { event };
}

/** Reads an ExportTraceServiceRequest. Broken structure fails the request; a bad span only itself. */
export function eventsFromTraces(body: unknown): TracesResult {
  if (!isObject(body))
    return { ok: false, error: 'request body: must be an ExportTraceServiceRequest JSON object' };
  if (!Array.isArray(body.resourceSpans)) {
    return {
      ok: false,
      error:
        body.resourceSpans === undefined
          ? 'resourceSpans: Required (an OTLP/JSON traces export; field names are lowerCamelCase)'
          : 'resourceSpans: must be an array',
    };
  }
  const events: SpanEvent[] = [];
  const rejected: SpanRejection[] = [];
  for (const [r, resourceSpans] of body.resourceSpans.entries()) {
    const at = `resourceSpans[${r}]`;
    if (!isObject(resourceSpans)) return { ok: false, error: `${at}: must be an object` };
    const { resource, scopeSpans = [] } = resourceSpans;
    if (resource !== undefined && !isObject(resource))
      return { ok: false, error: `${at}.resource: must be an object` };
    if (resource?.attributes !== undefined && !Array.isArray(resource.attributes))
      return { ok: false, error: `${at}.resource.attributes: must be an array of {key, value}` };
    if (!Array.isArray(scopeSpans)) return { ok: false, error: `${at}.scopeSpans: must be an array` };
    let resourceAttributes: Json;
    try {
      resourceAttributes = attributesObject(resource?.attributes, 0);
    } catch (error) {
      if (error instanceof TooDeep)
        return {
          ok: false,
          error: `${at}.resource.attributes: nest deeper than ${LIMITS.dataDepthMax} levels`,
        };
      throw error;
    }
    const mapped = resourceOf(resourceAttributes);
    for (const [s, scope] of scopeSpans.entries()) {
      const scopeAt = `${at}.scopeSpans[${s}]`;
      if (!isObject(scope)) return { ok: false, error: `${scopeAt}: must be an object` };
      const { spans = [] } = scope;
      if (!Array.isArray(spans)) return { ok: false, error: `${scopeAt}.spans: must be an array` };
      for (const [i, span] of spans.entries()) {
        const location = `${scopeAt}.spans[${i}]`;
        if (!isObject(span)) return { ok: false, error: `${location}: must be an object` };
        const result = spanEvent(span, mapped);
        if ('reason' in result) rejected.push({ location, reason: result.reason });
        else events.push({ location, event: result.event });
      }
    }
  }
  return { ok: true, events, rejected };
}
