/** Reading a receiver as sent to POST /api/v1/receivers and .../rotate: each field's rule in its 400. */
import { ApiError, LIMITS } from '@opstrails/core';
import { RECEIVER_KINDS } from '../../../../receivers/registry.js';
import { badRequest } from '../../../envelope.js';

export const EXAMPLE = 'send {"kind": "github", "name": "Deploys from GitHub", "subject": "production"}';

export function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw badRequest('request body', `must be a JSON object; ${EXAMPLE}`);
  return body as Record<string, unknown>;
}

export function onlyFields(body: Record<string, unknown>, allowed: string[]): void {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (extra.length > 0)
    throw badRequest(extra[0] as string, `is not a receiver field (${allowed.join(', ')})`);
}

export function readKind(value: unknown): string {
  const kinds = Object.keys(RECEIVER_KINDS);
  if (typeof value !== 'string' || !RECEIVER_KINDS[value])
    throw badRequest(
      'kind',
      `must be one of ${kinds.join(', ')}${value === undefined ? ` (${EXAMPLE})` : ''}`,
    );
  return value;
}

export function readText(field: string, value: unknown, max: number, required = false): string | null {
  if (value === undefined || value === null) {
    if (required) throw badRequest(field, `is required: 1-${max} characters`);
    return null;
  }
  if (typeof value !== 'string' || value.trim() === '' || value.length > max)
    throw badRequest(field, `must be a string of 1-${max} characters`);
  return value.trim();
}

/** A secret the tool made (PagerDuty v3 does): long enough to be one. */
export function readSecret(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.length < 16 || value.length > 200 || /\s/.test(value))
    throw badRequest('secret', 'must be 16-200 characters without spaces; leave it out to have one made');
  return value;
}

export const readSubject = (value: unknown) => readText('subject', value, LIMITS.subjectMax);
export const readSource = (value: unknown) => readText('source', value, LIMITS.sourceMax);

export const notFound = (id: string) =>
  new ApiError(
    'NOT_FOUND',
    `receiver ${id}: no such receiver in this organization (GET /api/v1/receivers lists them)`,
  );
