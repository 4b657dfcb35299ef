/**
 * The event model (contract section 1): the CloudEvents 1.0 structured-mode schema with the
 * `severity` and `version` extensions, and the validation that turns a sent event into the
 * event to store.
 */
import { z } from 'zod';
import type { ErrorCode } from './errors.js';
import { type Extensions, readExtensions } from './extensions.js';
import { LIMITS, SEVERITIES, type Severity } from './limits.js';
import { unstorableText } from './text.js';
import { isValidTimeZone, parseEventTime } from './time.js';

const requiredString = (max: number) =>
  z
    .string({ error: (issue) => (issue.input === undefined ? 'Required' : 'must be a string') })
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` });

const optionalString = (max: number) =>
  z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty (leave the field out instead)' })
    .max(max, { error: `must be at most ${max} characters` })
    .nullish();

/**
 * The event model's own attributes as a sender writes them. Other top-level attributes are
 * CloudEvents extensions, read by extensions.ts.
 */
export const EventInputSchema = z.object({
  specversion: z.literal('1.0', {
    error: (issue) => (issue.input === undefined ? 'Required' : 'must be "1.0" (CloudEvents 1.0)'),
  }),
  type: requiredString(LIMITS.typeMax),
  source: requiredString(LIMITS.sourceMax),
  time: z.string({
    error: (issue) =>
      issue.input === undefined
        ? 'Required (use "NOW" for the server\'s receive time)'
        : 'must be a string: "NOW", RFC 3339 or RFC 2822',
  }),
  id: optionalString(LIMITS.idMax),
  subject: optionalString(LIMITS.subjectMax),
  severity: z
    .string({ error: `must be one of ${SEVERITIES.join(', ')}` })
    .transform((s) => s.toUpperCase())
    .pipe(z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` }))
    .nullish(),
  version: optionalString(LIMITS.versionMax),
  datacontenttype: optionalString(LIMITS.datacontenttypeMax),
  dataschema: optionalString(LIMITS.dataschemaMax),
  data: z
    .record(z.string(), z.unknown(), { error: 'must be a JSON object' })
    .refine((d) => !Array.isArray(d), { error: 'must be a JSON object, not an array' })
    .nullish(),
});

export type EventInput = z.input<typeof EventInputSchema>;

/** A validated event, ready to store. `time` is UTC epoch milliseconds. */
export interface NewEvent {
  id: string;
  type: string;
  source: string;
  time: number;
  subject: string | null;
  severity: Severity | null;
  version: string | null;
  datacontenttype: string;
  dataschema: string | null;
  data: Record<string, unknown> | null;
  /** CloudEvents extension attributes; absent or null when the event has none. */
  extensions?: Extensions | null;
  /** Bytes of the serialized event as sent. */
  size: number;
}

/** The stored event as every API answer renders it (contract section 2). */
export interface StoredEvent {
  id: string;
  specversion: '1.0';
  type: string;
  source: string;
  time: string;
  subject: string | null;
  severity: Severity | null;
  version: string | null;
  datacontenttype: string;
  dataschema: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
  /** CloudEvents extension attributes (string, number or boolean), after the twelve fields. */
  [extension: string]: unknown;
}

/** `warnings` name what was stored but looks unintended (a misspelt attribute); empty when none. */
export type ValidationResult =
  | { ok: true; event: NewEvent; warnings: string[] }
  | { ok: false; code: ErrorCode; error: string };

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Finds the first structural problem anywhere in the event: a forbidden key or nesting past the
 * limit. Runs before anything serializes the event, so an absurdly deep payload is refused
 * instead of overflowing the stack.
 */
function checkShape(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'string') {
    const problem = unstorableText(value);
    return problem ? `${path}: ${problem}` : null;
  }
  if (value === null || typeof value !== 'object') return null;
  if (depth > LIMITS.dataDepthMax) return `${path}: nests deeper than ${LIMITS.dataDepthMax} levels`;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = checkShape(value[i], `${path}[${i}]`, depth + 1);
      if (problem) return problem;
    }
    return null;
  }
  for (const [key, child] of Object.entries(value)) {
    const at = path ? `${path}.${key}` : key;
    if (FORBIDDEN_KEYS.has(key)) return `${at}: the key "${key}" is not allowed`;
    const keyProblem = unstorableText(key);
    if (keyProblem) return `${path || 'event'}: a key ${keyProblem}`;
    const problem = checkShape(child, at, depth + 1);
    if (problem) return problem;
  }
  return null;
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const path = issue.path.length > 0 ? issue.path.join('.') : 'event';
  return `${path}: ${issue.message}`;
}

/**
 * Validates one event as sent and resolves its time. `nowMs` is the server's receive time,
 * used for "NOW". Rules and messages follow the contract: a message names the field first.
 */
export function validateEvent(input: unknown, nowMs: number, generateId: () => string): ValidationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, code: 'VALIDATION_ERROR', error: 'event: must be a JSON object' };
  }
  const shape = checkShape(input, '', 0);
  if (shape) return { ok: false, code: 'VALIDATION_ERROR', error: shape };
  const size = Buffer.byteLength(JSON.stringify(input), 'utf8');
  if (size > LIMITS.eventBytesMax) {
    return {
      ok: false,
      code: 'PAYLOAD_TOO_LARGE',
      error: `event: is ${size} bytes serialized; the limit is ${LIMITS.eventBytesMax} bytes (10 KB). Move bulky detail out of data.`,
    };
  }
  const parsed = EventInputSchema.safeParse(input);
  const extensions = readExtensions(input as Record<string, unknown>);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map(formatIssue)), ...extensions.problems];
  if (!parsed.success || problems.length > 0) {
    return { ok: false, code: 'VALIDATION_ERROR', error: problems.join('; ') };
  }
  const e = parsed.data;
  const data = e.data ?? null;
  if (data) {
    const problem = checkDataFields(data);
    if (problem) return { ok: false, code: 'VALIDATION_ERROR', error: problem };
  }
  const timezone = typeof data?.timezone === 'string' ? data.timezone : undefined;
  const time = parseEventTime(e.time, nowMs, timezone);
  if (!time.ok) return { ok: false, code: 'VALIDATION_ERROR', error: `time: ${time.message}` };
  return {
    ok: true,
    event: {
      id: e.id ?? generateId(),
      type: e.type,
      source: e.source,
      time: time.ms,
      subject: e.subject ?? null,
      severity: e.severity ?? null,
      version: e.version ?? null,
      datacontenttype: e.datacontenttype ?? 'application/json',
      dataschema: e.dataschema ?? null,
      data,
      extensions: extensions.extensions,
      size,
    },
    warnings: extensions.warnings,
  };
}

function checkDataFields(data: Record<string, unknown>): string | null {
  const { description, timezone } = data;
  if (description !== undefined && description !== null) {
    if (typeof description !== 'string') return 'data.description: must be a string';
    if (description.length > LIMITS.descriptionMax) {
      return `data.description: must be at most ${LIMITS.descriptionMax} characters (it has ${description.length})`;
    }
  }
  if (timezone !== undefined && timezone !== null) {
    if (typeof timezone !== 'string')
      return 'data.timezone: must be a string naming an IANA zone (e.g. Europe/London)';
    if (timezone.length > LIMITS.timezoneMax)
      return `data.timezone: must be at most ${LIMITS.timezoneMax} characters`;
    if (!isValidTimeZone(timezone))
      return `data.timezone: "${timezone}" is not an IANA time zone (e.g. Europe/London)`;
  }
  return null;
}
