/**
 * CDEvents (v0.4 and v0.5) sent to POST /api/v1/events: a structured CDEvent (`{context,
 * subject}`, Content-Type application/cdevents+json or application/json) or a CloudEvent whose
 * type is `dev.cdevents.*` with the CDEvent as its data. Each becomes one of our events: service
 * events a deployment (source = the service, subject = the environment id, version from the
 * artifact's purl), incidents an `incident` with its status, and so on; the CDEvent itself is
 * kept under `data.cdevent`. Anything else passes through untouched.
 */
import { type ValidationResult, validateEvent } from '@opstrails/core';
import { fitVersion, withOriginal } from './build.js';
import { isObject, type Json, text } from './payload.js';

const PREFIX = 'dev.cdevents.';

interface Mapping {
  type: string;
  status?: string;
  /** Our `source`: which field names the system. */
  source: (cd: CDEvent) => string | null;
  /** Our `subject`: the environment's id. */
  subject: (cd: CDEvent) => string | null;
}

interface CDEvent {
  context: Json;
  subject: Json;
  content: Json;
}

const environmentOf = (cd: CDEvent) => text(cd.content, 'environment.id');
const service: Omit<Mapping, 'type'> = { source: (cd) => text(cd.subject, 'id'), subject: environmentOf };
const environment: Omit<Mapping, 'type'> = {
  source: (cd) => text(cd.context, 'source'),
  subject: (cd) => text(cd.subject, 'id'),
};
const incident: Omit<Mapping, 'type'> = {
  source: (cd) => text(cd.content, 'service.id') ?? text(cd.context, 'source'),
  subject: environmentOf,
};

const MAPPINGS: Record<string, Mapping> = {
  'service.deployed': { type: 'deployment', status: 'success', ...service },
  'service.upgraded': { type: 'deployment', status: 'success', ...service },
  'service.rolledback': { type: 'rollback', status: 'success', ...service },
  'service.removed': { type: 'service-removed', ...service },
  'environment.created': { type: 'environment-created', ...environment },
  'environment.modified': { type: 'environment-modified', ...environment },
  'environment.deleted': { type: 'environment-deleted', ...environment },
  'incident.detected': { type: 'incident', status: 'detected', ...incident },
  'incident.reported': { type: 'incident', status: 'reported', ...incident },
  'incident.resolved': { type: 'incident', status: 'resolved', ...incident },
  'pipelinerun.finished': {
    type: 'pipeline-run',
    source: (cd) => text(cd.content, 'pipelineName') ?? text(cd.context, 'source'),
    subject: () => null,
  },
  'change.merged': {
    type: 'change-merged',
    source: (cd) => text(cd.content, 'repository.id') ?? text(cd.context, 'source'),
    subject: () => null,
  },
};

/** `pkg:oci/myapp@sha256%3A0b31…?repository_url=…` -> `sha256:0b31b1c02ff4` (fitted to the version limit). */
export function versionFromPurl(purl: string | null): string | null {
  if (!purl?.startsWith('pkg:')) return null;
  const at = purl.split(/[?#]/, 1)[0]?.split('@')[1];
  if (!at) return null;
  try {
    return fitVersion(decodeURIComponent(at));
  } catch {
    return fitVersion(at);
  }
}

/** The CDEvent in a body: the body itself, or the data of a `dev.cdevents.*` CloudEvent; null for anything else. */
function findCDEvent(input: unknown): unknown {
  if (!isObject(input)) return null;
  if (isObject(input.context) && text(input.context, 'type')?.startsWith(PREFIX)) return input;
  if (typeof input.type === 'string' && input.type.startsWith(PREFIX)) return input.data ?? {};
  return null;
}

type Converted = { ok: true; event: Json } | { ok: false; error: string };

export function fromCDEvent(original: Json | unknown): Converted {
  if (!isObject(original) || !isObject(original.context) || !isObject(original.subject))
    return {
      ok: false,
      error: 'CDEvent: needs "context" and "subject" objects (CDEvents v0.4/v0.5 structured form)',
    };
  const cd: CDEvent = {
    context: original.context,
    subject: original.subject,
    content: isObject(original.subject.content) ? original.subject.content : {},
  };
  const cdType = text(cd.context, 'type') ?? '';
  const name = /^dev\.cdevents\.([a-z]+)\.([a-z]+)\./.exec(cdType);
  if (!name)
    return {
      ok: false,
      error: `context.type: "${cdType}" is not a CDEvents type (dev.cdevents.<subject>.<predicate>.<version>)`,
    };
  const key = `${name[1]}.${name[2]}`;
  const id = text(cd.context, 'id');
  const timestamp = text(cd.context, 'timestamp');
  if (!id || !timestamp)
    return { ok: false, error: `CDEvent: context.${id ? 'timestamp' : 'id'} is required` };
  const mapping = MAPPINGS[key];
  const source = mapping?.source(cd) ?? text(cd.context, 'source') ?? 'cdevents';
  const subject = (mapping ? mapping.subject(cd) : environmentOf(cd))?.slice(0, 50) ?? null;
  const outcome = text(cd.content, 'outcome');
  const status = mapping?.status ?? (outcome ? (outcome === 'success' ? 'success' : 'failed') : null);
  const incidentId = name[1] === 'incident' ? text(cd.subject, 'id') : null;
  const event: Json = {
    specversion: '1.0',
    id,
    type: mapping?.type ?? key,
    source,
    time: timestamp,
    ...(subject ? { subject } : {}),
    ...(versionFromPurl(text(cd.content, 'artifactId'))
      ? { version: versionFromPurl(text(cd.content, 'artifactId')) }
      : {}),
    ...(incidentId ? { correlationid: `cdevents:${incidentId}` } : {}),
    data: {
      ...(status ? { status } : {}),
      ...(text(cd.content, 'description')
        ? { description: text(cd.content, 'description')?.slice(0, 1000) }
        : {}),
      ...(outcome ? { outcome } : {}),
      ...(text(cd.content, 'artifactId') ? { artifact: text(cd.content, 'artifactId') } : {}),
      // v0.5 says `uri` where v0.4 said `url`.
      ...(text(cd.content, 'uri') || text(cd.content, 'url')
        ? { url: text(cd.content, 'uri') ?? text(cd.content, 'url') }
        : {}),
      cdeventType: cdType,
      cdeventsVersion: text(cd.context, 'specversion') ?? text(cd.context, 'version'),
    },
  };
  return { ok: true, event: withOriginal(event, 'cdevent', original) };
}

/** validateEvent for what POST /api/v1/events receives, CDEvents turned into events first. */
export function validateIncoming(input: unknown, nowMs: number, generateId: () => string): ValidationResult {
  const cdevent = findCDEvent(input);
  if (cdevent === null) return validateEvent(input, nowMs, generateId);
  const converted = fromCDEvent(cdevent);
  if (!converted.ok) return { ok: false, code: 'VALIDATION_ERROR', error: converted.error };
  return validateEvent(converted.event, nowMs, generateId);
}
