/**
 * The steps every receiver shares after mapping: the event id from the delivery id (so the
 * existing source + id idempotency turns a retried delivery into nothing new), the receiver's
 * defaults, a version that fits, and the original payload under `data.raw` within the size limit.
 */
import { createHash } from 'node:crypto';
import { LIMITS } from '@opstrails/core';
import type { MappedEvent, ReceiverDefaults } from './kind.js';
import { isObject, type Json } from './payload.js';

/** A version past the event limit: a digest becomes `sha256:` + 12 hex digits, anything else is cut. */
export function fitVersion(version: string | null | undefined): string | null {
  if (!version) return null;
  if (version.length <= LIMITS.versionMax) return version;
  const digest = /(sha\d+)(?::|%3A)([0-9a-f]{12,})/i.exec(version);
  if (digest) return `${digest[1]?.toLowerCase()}:${digest[2]?.slice(0, 12).toLowerCase()}`;
  return version.slice(0, LIMITS.versionMax);
}

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');

/**
 * The largest part of `value` that fits in `budget` bytes: small members first (ids, states,
 * names: what a reader wants), big nested ones trimmed in turn, anything left out named in
 * `_trimmed`. Returns null when not even that fits.
 */
export function fitRaw(value: unknown, budget: number): unknown {
  if (bytes(value) <= budget) return value;
  if (Array.isArray(value)) {
    const kept: unknown[] = [];
    let used = 2;
    for (const item of value) {
      const size = bytes(item) + 1;
      if (used + size > budget - 40) break;
      kept.push(item);
      used += size;
    }
    return [...kept, `…${value.length - kept.length} more`];
  }
  if (!isObject(value))
    return typeof value === 'string' ? `${value.slice(0, Math.max(0, budget - 10))}…` : null;
  const entries = Object.entries(value).sort((a, b) => bytes(a[1]) - bytes(b[1]));
  const out: Json = {};
  const trimmed: string[] = [];
  let used = 40;
  for (const [key, child] of entries) {
    // The key, its quotes and separators, and its name in `_trimmed` should it be left out.
    const room = budget - used - 2 * bytes(key) - 4;
    const size = bytes(child);
    if (size <= room) {
      out[key] = child;
      used += bytes(key) + size + 2;
      continue;
    }
    const part = room > 200 ? fitRaw(child, room) : null;
    if (part !== null) {
      out[key] = part;
      used += bytes(key) + bytes(part) + 2;
    } else trimmed.push(key);
  }
  if (trimmed.length > 0) out._trimmed = trimmed;
  return out;
}

/** The stored id: the tool's delivery id, hashed when too long for `id`. */
export function eventId(kind: string, deliveryId: string, index: number, count: number): string {
  const base = `${kind}:${deliveryId}${count > 1 ? `:${index}` : ''}`;
  if (base.length <= LIMITS.idMax) return base;
  return `${kind}:${createHash('sha256').update(base).digest('hex')}`;
}

/** The event as POST /api/v1/events would take it, ready for validateEvent. */
export function toEventInput(
  kind: string,
  mapped: MappedEvent,
  defaults: ReceiverDefaults,
  id: string,
  raw: unknown,
): Json {
  const source = mapped.source ?? defaults.source ?? kind;
  const subject = (mapped.subject ?? defaults.subject)?.slice(0, LIMITS.subjectMax) ?? null;
  const event: Json = {
    specversion: '1.0',
    id,
    type: mapped.type,
    source: source.slice(0, LIMITS.sourceMax),
    time: typeof mapped.time === 'number' ? new Date(mapped.time).toISOString() : (mapped.time ?? 'NOW'),
    ...(subject ? { subject } : {}),
    ...(mapped.severity ? { severity: mapped.severity } : {}),
    ...(fitVersion(mapped.version) ? { version: fitVersion(mapped.version) } : {}),
    ...(mapped.correlationid ? { correlationid: mapped.correlationid } : {}),
    data: { ...mapped.data, receiver: kind },
  };
  return withOriginal(event, 'raw', raw);
}

/** The event with the original payload under `data[key]`, trimmed (fitRaw) to keep the event within its size limit. */
export function withOriginal(event: Json, key: string, original: unknown): Json {
  // fitRaw's count is close but not exact (escapes, `_trimmed`): shrink until the event fits.
  for (let room = LIMITS.eventBytesMax - bytes(event) - 16; room > 100; room = Math.floor(room * 0.8)) {
    const data = { ...(event.data as Json), [key]: fitRaw(original, room) };
    if (bytes({ ...event, data }) <= LIMITS.eventBytesMax) return { ...event, data };
  }
  return event;
}
