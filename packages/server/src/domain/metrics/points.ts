/**
 * Validation of one pushed metric point (extended API section 1). Each point is judged on its
 * own, so a batch stores its good points and names each bad one by index.
 */
import { LIMITS, parseEventTime } from '@opstrails/core';
import { z } from 'zod';

export const METRIC_NAME = /^[A-Za-z0-9_.:-]{1,100}$/;
export const POINTS_MAX = 5_000;

/** A point as the OpenAPI document shows it, and the one list of its fields (validatePoint checks each by hand). */
export const MetricPointSchema = z.object({
  metric: z.string().regex(METRIC_NAME).describe('1-100 characters of A-Z a-z 0-9 _ . : -'),
  subject: z.string().min(1).max(LIMITS.subjectMax).describe('the environment, as in events'),
  source: z.string().min(1).max(LIMITS.sourceMax).nullable().optional().describe('the system, as in events'),
  time: z
    .union([
      z.string().describe('like event `time`: "NOW", RFC 3339 or RFC 2822'),
      z.number().describe('Unix seconds'),
    ])
    .describe('when the value was measured'),
  value: z.number().describe('a finite number'),
});
const FIELDS = new Set(Object.keys(MetricPointSchema.shape));
const EXAMPLE =
  '{"metric": "error_rate", "subject": "PRODUCTION", "time": "2026-01-15T14:30:00Z", "value": 0.012}';

export interface ValidPoint {
  metric: string;
  subject: string;
  source: string | null;
  time: number;
  value: number;
}

export type PointResult = { ok: true; point: ValidPoint } | { ok: false; error: string };

export function metricNameProblem(name: unknown, field = 'metric'): string | null {
  if (typeof name !== 'string')
    return `${field}: must be a string such as "error_rate", not ${JSON.stringify(name) ?? 'undefined'}`;
  if (!METRIC_NAME.test(name))
    return `${field}: "${name.slice(0, 120)}" is not a metric name: use 1-100 characters of A-Z a-z 0-9 _ . : -`;
  return null;
}

function text(value: unknown, field: string, max: number, hint: string): string | { error: string } {
  if (typeof value !== 'string')
    return { error: `${field}: must be a string (${hint}), not ${JSON.stringify(value)}` };
  if (value.trim() === '') return { error: `${field}: is empty; give ${hint}` };
  if ([...value].length > max) return { error: `${field}: is longer than ${max} characters; shorten it` };
  return value;
}

/** Unix seconds or the forms of an event's `time` (NOW, RFC 3339, RFC 2822). */
function pointTime(value: unknown, now: number): number | { error: string } {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { error: 'time: must be a finite number of Unix seconds' };
    const ms = Math.round(value * 1000);
    if (ms < 0 || ms > 253_402_300_799_000)
      return { error: `time: ${value} is not a Unix time in seconds from 1970 to 9999` };
    return ms;
  }
  if (typeof value !== 'string')
    return {
      error: `time: must be "NOW", RFC 3339 (2026-01-15T14:30:00Z), RFC 2822 or Unix seconds, not ${JSON.stringify(value)}`,
    };
  const parsed = parseEventTime(value, now);
  if (!parsed.ok) return { error: `time: ${parsed.message}` };
  if (parsed.ms < 0)
    return { error: `time: "${value}" is before 1970; metric points start at the Unix epoch` };
  return parsed.ms;
}

export function validatePoint(raw: unknown, now: number): PointResult {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, error: `point: must be a JSON object such as ${EXAMPLE}` };
  const p = raw as Record<string, unknown>;
  const unknown = Object.keys(p).find((k) => !FIELDS.has(k));
  if (unknown !== undefined)
    return {
      ok: false,
      error: `${unknown.slice(0, 100)}: is not a field of a metric point (${[...FIELDS].join(', ')})`,
    };
  for (const field of ['metric', 'subject', 'time', 'value']) {
    if (p[field] === undefined || p[field] === null)
      return { ok: false, error: `${field}: is required; send ${EXAMPLE}` };
  }
  const nameProblem = metricNameProblem(p.metric);
  if (nameProblem) return { ok: false, error: nameProblem };
  const subject = text(p.subject, 'subject', LIMITS.subjectMax, 'the environment, such as "PRODUCTION"');
  if (typeof subject !== 'string') return { ok: false, ...subject };
  let source: string | null = null;
  if (p.source !== undefined && p.source !== null) {
    const s = text(p.source, 'source', LIMITS.sourceMax, 'the system, such as "checkout-api"');
    if (typeof s !== 'string') return { ok: false, ...s };
    source = s;
  }
  const time = pointTime(p.time, now);
  if (typeof time !== 'number') return { ok: false, ...time };
  if (typeof p.value !== 'number' || !Number.isFinite(p.value)) {
    return {
      ok: false,
      error: `value: must be a finite number such as 0.012, not ${JSON.stringify(p.value)}${typeof p.value === 'string' ? ' (send it without quotes)' : ''}`,
    };
  }
  return { ok: true, point: { metric: p.metric as string, subject, source, time, value: p.value } };
}
