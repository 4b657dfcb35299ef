/**
 * Reading the bodies of freeze windows and deployment policies (extended API section 4): every
 * field checked, each problem a 400 naming the field and the fix. A PATCH is merged over the
 * stored guardrail and the whole result checked again, so an edit can never leave an invalid one.
 * The fields accepted are those of the zod schemas in bodies.ts (which the OpenAPI document shows).
 */
import { parseEventTime, SEVERITIES } from '@opstrails/core';
import { parseDuration, rruleProblem } from '../../../../domain/guardrails/recurrence.js';
import { RULES } from '../../../../domain/guardrails/rules/index.js';
import { type Recurrence, RULE_TYPES, type RuleType } from '../../../../domain/guardrails/types.js';
import { isTimeZone } from '../../../../domain/guardrails/zone.js';
import type { FreezeInput, PolicyInput, StoredFreeze, StoredPolicy } from '../../../../store/guardrails.js';
import { badRequest } from '../../../envelope.js';
import { FreezeBody, PolicyBody } from './bodies.js';

const FREEZE_FIELDS = Object.keys(FreezeBody.shape);
const POLICY_FIELDS = Object.keys(PolicyBody.shape);
const FREEZE_EXAMPLE =
  '{"name": "Holiday Freeze", "startsAt": "2026-12-20T00:00:00Z", "endsAt": "2027-01-02T00:00:00Z"}';
const POLICY_EXAMPLE =
  '{"name": "No weekend deploys", "ruleType": "BLOCKED_DAYS", "config": {"days": ["SATURDAY", "SUNDAY"], "timezone": "Europe/Berlin"}}';
/** A series may span at most this long (ten years). */
const MAX_SPAN_MS = 10 * 366 * 86_400_000;

type Body = Record<string, unknown>;

function object(body: unknown, fields: string[], example: string, severitiesNote: boolean): Body {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body))
    throw badRequest('request body', `must be a JSON object: ${example}`);
  for (const key of Object.keys(body)) {
    if (!fields.includes(key)) {
      const hint = severitiesNote && key === 'severities' ? 'policies have no severities filter; ' : '';
      throw badRequest(key, `is not a field here; ${hint}use ${fields.join(', ')}`);
    }
  }
  return body as Body;
}

function name(v: unknown): string {
  if (typeof v !== 'string' || v.trim().length === 0)
    throw badRequest('name', 'is required: a short text such as "Holiday Freeze"');
  if (v.trim().length > 100) throw badRequest('name', 'must be at most 100 characters');
  return v.trim();
}

function list(field: string, v: unknown, allowed?: readonly string[]): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v))
    throw badRequest(field, `must be a list of strings, e.g. ["PRODUCTION"]; empty or absent matches all`);
  if (v.length > 100) throw badRequest(field, 'lists at most 100 values');
  const out: string[] = [];
  for (const x of v) {
    if (typeof x !== 'string' || x.trim().length === 0 || x.length > 500)
      throw badRequest(
        field,
        `holds ${JSON.stringify(x)}; each value must be a non-empty string of at most 500 characters`,
      );
    const value = allowed ? x.toUpperCase() : x.trim();
    if (allowed && !allowed.includes(value))
      throw badRequest(field, `holds ${JSON.stringify(x)}; use ${allowed.join(', ')}`);
    if (!out.includes(value)) out.push(value);
  }
  return out;
}

function enabled(v: unknown): boolean {
  if (v === undefined) return true;
  if (typeof v !== 'boolean') throw badRequest('enabled', `must be true or false, not ${JSON.stringify(v)}`);
  return v;
}

function time(field: string, v: unknown, now: number): number {
  if (v === undefined || v === null)
    throw badRequest(field, 'is required: an RFC 3339 time such as "2026-12-20T00:00:00Z"');
  if (typeof v !== 'string')
    throw badRequest(field, `must be a string such as "2026-12-20T00:00:00Z", not ${JSON.stringify(v)}`);
  const parsed = parseEventTime(v, now);
  if (!parsed.ok) throw badRequest(field, parsed.message);
  return parsed.ms;
}

function recurrence(v: unknown): Recurrence | null {
  if (v === undefined || v === null) return null;
  const example =
    '{"rrule": "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0", "duration": "PT64H", "timezone": "Europe/Berlin"}';
  if (typeof v !== 'object' || Array.isArray(v))
    throw badRequest('recurrence', `must be an object such as ${example}, or null`);
  const r = v as Body;
  const extra = Object.keys(r).find((k) => !['rrule', 'duration', 'timezone'].includes(k));
  if (extra) throw badRequest(`recurrence.${extra}`, `is not a field of recurrence; send ${example}`);
  if (typeof r.rrule !== 'string' || r.rrule.length === 0 || r.rrule.length > 500)
    throw badRequest(
      'recurrence.rrule',
      'is required: an RFC 5545 RRULE such as "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0"',
    );
  const problem = rruleProblem(r.rrule);
  if (problem) throw badRequest('recurrence.rrule', problem);
  if (typeof r.duration !== 'string' || parseDuration(r.duration) === null)
    throw badRequest(
      'recurrence.duration',
      `must be an ISO 8601 duration such as "PT64H" or "P2D", not ${JSON.stringify(r.duration)}`,
    );
  if (typeof r.timezone !== 'string' || !isTimeZone(r.timezone))
    throw badRequest(
      'recurrence.timezone',
      `must be an IANA zone such as "Europe/Berlin", not ${JSON.stringify(r.timezone)}`,
    );
  return {
    rrule: r.rrule.replace(/^RRULE:/i, '').toUpperCase(),
    duration: r.duration.toUpperCase(),
    timezone: r.timezone,
  };
}

/** A new window's definition, or a PATCH merged over `current`. */
export function readFreeze(body: unknown, current: StoredFreeze | null, now = Date.now()): FreezeInput {
  const b = object(body, FREEZE_FIELDS, FREEZE_EXAMPLE, false);
  const has = (k: string) => Object.hasOwn(b, k);
  const startsAt = has('startsAt') || !current ? time('startsAt', b.startsAt, now) : current.startsAt;
  const endsAt = has('endsAt') || !current ? time('endsAt', b.endsAt, now) : current.endsAt;
  if (endsAt <= startsAt) throw badRequest('endsAt', 'must be after startsAt');
  if (endsAt - startsAt > MAX_SPAN_MS) throw badRequest('endsAt', 'must be at most ten years after startsAt');
  return {
    name: has('name') || !current ? name(b.name) : current.name,
    startsAt,
    endsAt,
    subjects: has('subjects') || !current ? list('subjects', b.subjects) : current.subjects,
    sources: has('sources') || !current ? list('sources', b.sources) : current.sources,
    types: has('types') || !current ? list('types', b.types) : current.types,
    severities:
      has('severities') || !current ? list('severities', b.severities, SEVERITIES) : current.severities,
    notificationChannels:
      has('notificationChannels') || !current
        ? list('notificationChannels', b.notificationChannels)
        : current.notificationChannels,
    enabled: has('enabled') || !current ? enabled(b.enabled) : current.enabled,
    recurrence: has('recurrence') || !current ? recurrence(b.recurrence) : current.recurrence,
  };
}

/** A new policy's definition, or a PATCH merged over `current`. */
export function readPolicy(body: unknown, current: StoredPolicy | null): PolicyInput {
  const b = object(body, POLICY_FIELDS, POLICY_EXAMPLE, true);
  const has = (k: string) => Object.hasOwn(b, k);
  let ruleType: RuleType;
  if (has('ruleType') || !current) {
    const t = typeof b.ruleType === 'string' ? b.ruleType.toUpperCase() : b.ruleType;
    if (!(RULE_TYPES as readonly unknown[]).includes(t))
      throw badRequest('ruleType', `must be ${RULE_TYPES.join(', ')}; got ${JSON.stringify(b.ruleType)}`);
    ruleType = t as RuleType;
  } else ruleType = current.ruleType;
  // A new rule type needs its own config; an edit of the config alone is checked against the stored type.
  const rawConfig = has('config') || !current || ruleType !== current.ruleType ? b.config : current.config;
  const parsed = RULES[ruleType].parse(rawConfig);
  if (!parsed.ok) throw badRequest(parsed.field, `${parsed.message} (${ruleType})`);
  return {
    name: has('name') || !current ? name(b.name) : current.name,
    ruleType,
    config: parsed.config as Record<string, unknown>,
    subjects: has('subjects') || !current ? list('subjects', b.subjects) : current.subjects,
    sources: has('sources') || !current ? list('sources', b.sources) : current.sources,
    types: has('types') || !current ? list('types', b.types) : current.types,
    severities: [],
    notificationChannels:
      has('notificationChannels') || !current
        ? list('notificationChannels', b.notificationChannels)
        : current.notificationChannels,
    enabled: has('enabled') || !current ? enabled(b.enabled) : current.enabled,
  };
}
