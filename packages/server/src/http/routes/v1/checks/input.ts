/**
 * A health check as sent to POST /api/v1/checks and PATCH /api/v1/checks/{id} (extended API
 * section 9): one zod schema, also the OpenAPI document's request body, each rule in its 400.
 */
import { ApiError, EventInputSchema, LIMITS } from '@opstrails/core';
import { z } from 'zod';
import type { CheckSettings } from '../../../../store/health-checks.js';
import { badRequest } from '../../../envelope.js';

export const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const INTERVAL_MIN = 10;
export const INTERVAL_MAX = 86_400;
export const TIMEOUT_DEFAULT = 10;
export const TIMEOUT_MAX = 60;

const EXAMPLE =
  'send e.g. {"name": "Checkout API", "url": "https://api.example.com/health", "intervalSeconds": 60, "subject": "PRODUCTION", "source": "checkout"}';

const text = (max: number) =>
  z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters; shorten it` });

const httpUrl = z
  .string()
  .max(2_000, { error: 'must be at most 2000 characters' })
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
      } catch {
        return false;
      }
    },
    { error: 'must be an http or https URL, e.g. https://api.example.com/health' },
  );

const FIELDS = {
  name: text(100),
  url: httpUrl,
  method: z
    .string()
    .transform((m) => m.toUpperCase())
    .pipe(z.enum(METHODS, { error: `must be one of ${METHODS.join(', ')}` })),
  expectedStatus: z
    .number()
    .int({ error: 'must be a whole number' })
    .min(100, { error: 'must be an HTTP status, 100-599' })
    .max(599, { error: 'must be an HTTP status, 100-599' })
    .nullable(),
  expectedBody: text(1_000).nullable(),
  intervalSeconds: z
    .number()
    .int({ error: 'must be a whole number of seconds' })
    .min(INTERVAL_MIN, { error: `must be at least ${INTERVAL_MIN} seconds` })
    .max(INTERVAL_MAX, { error: `must be at most ${INTERVAL_MAX} seconds (a day)` }),
  timeoutSeconds: z
    .number()
    .int({ error: 'must be a whole number of seconds' })
    .min(1, { error: 'must be at least 1 second' })
    .max(TIMEOUT_MAX, { error: `must be at most ${TIMEOUT_MAX} seconds` }),
  subject: text(LIMITS.subjectMax),
  source: text(LIMITS.sourceMax),
  severity: EventInputSchema.shape.severity,
  paused: z.boolean(),
};

const strict = <T extends z.ZodRawShape>(shape: T) =>
  z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `${issue.keys.join(', ')}: not a check field (${Object.keys(FIELDS).join(', ')})`
        : undefined,
  });

export const CheckCreateSchema = strict({
  name: FIELDS.name,
  url: FIELDS.url,
  method: FIELDS.method.optional(),
  expectedStatus: FIELDS.expectedStatus.optional(),
  expectedBody: FIELDS.expectedBody.optional(),
  intervalSeconds: FIELDS.intervalSeconds,
  timeoutSeconds: FIELDS.timeoutSeconds.optional(),
  subject: FIELDS.subject,
  source: FIELDS.source,
  severity: FIELDS.severity,
  paused: FIELDS.paused.optional(),
});

export const CheckUpdateSchema = strict(
  Object.fromEntries(Object.entries(FIELDS).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof FIELDS]: z.ZodOptional<(typeof FIELDS)[K]>;
  },
);

/** The body as an object (the schemas name the fields); an empty or non-object body says what to send. */
export function bodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body))
    throw badRequest('request body', `must be a JSON object: ${EXAMPLE}`);
  return body as Record<string, unknown>;
}

/** The settings to store: defaults filled in, and the rule across fields (the timeout fits in the interval). */
export function settingsFrom(
  input: z.infer<typeof CheckUpdateSchema>,
  base: CheckSettings | null,
): CheckSettings {
  const merged: CheckSettings = {
    name: input.name ?? (base?.name as string),
    url: input.url ?? (base?.url as string),
    method: input.method ?? base?.method ?? 'GET',
    expectedStatus:
      input.expectedStatus !== undefined ? input.expectedStatus : (base?.expectedStatus ?? null),
    expectedBody: input.expectedBody !== undefined ? input.expectedBody : (base?.expectedBody ?? null),
    intervalSeconds: input.intervalSeconds ?? (base?.intervalSeconds as number),
    timeoutSeconds: input.timeoutSeconds ?? base?.timeoutSeconds ?? TIMEOUT_DEFAULT,
    subject: input.subject ?? (base?.subject as string),
    source: input.source ?? (base?.source as string),
    severity: input.severity !== undefined ? input.severity : (base?.severity ?? null),
    paused: input.paused ?? base?.paused ?? false,
  };
  if (merged.timeoutSeconds > merged.intervalSeconds)
    throw badRequest(
      'timeoutSeconds',
      `must be at most intervalSeconds (${merged.intervalSeconds}): a run ends before the next one is due`,
    );
  return merged;
}

export const notFound = (id: string) =>
  new ApiError(
    'NOT_FOUND',
    `id: no health check "${id}" in this organization (GET /api/v1/checks lists them)`,
  );
