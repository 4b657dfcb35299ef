/**
 * The bodies of the integration and metric mapping routes, as zod schemas: what the OpenAPI
 * document shows, and the one list of fields (and, for a new mapping, of required fields) that
 * service.ts accepts. service.ts checks each value by hand, for messages that say the fix.
 */
import { LIMITS } from '@opstrails/core';
import { z } from 'zod';
import { DIRECTIONS } from '../domain/metrics/direction.js';
import { METRIC_NAME } from '../domain/metrics/points.js';
import { providerNames } from './registry.js';

export const NAME_MAX = 100;
export const QUERY_MAX = 10_000;
export const UNIT_MAX = 30;

const integrationName = z.string().min(1).max(NAME_MAX);
const providerConfig = z
  .record(z.string(), z.unknown())
  .describe(
    "the provider's settings (docs/metrics.md, one section per provider); secrets are answered masked",
  );

export const IntegrationCreateBody = z.object({
  provider: z.enum(providerNames() as [string, ...string[]]),
  name: integrationName,
  config: providerConfig,
});

export const IntegrationUpdateBody = z.object({
  name: integrationName.optional(),
  config: providerConfig
    .optional()
    .describe('replaces the stored config; a secret sent back masked ("••••abcd") keeps its stored value'),
});

export const MappingCreateBody = z.object({
  metric: z.string().regex(METRIC_NAME).describe('1-100 characters of A-Z a-z 0-9 _ . : -'),
  integrationId: z.string().describe('an integration of this organization (GET /api/v1/integrations)'),
  query: z
    .string()
    .min(1)
    .max(QUERY_MAX)
    .describe("the provider's query; $subject and $source are replaced by the event's"),
  subjects: z
    .array(z.string().min(1).max(LIMITS.subjectMax))
    .min(1)
    .max(100)
    .describe('e.g. ["PRODUCTION"], or ["*"] for every subject'),
  source: z.string().min(1).max(LIMITS.sourceMax).nullable().optional(),
  unit: z.string().min(1).max(UNIT_MAX).nullable().optional(),
  direction: z.enum(DIRECTIONS),
  subjectValues: z
    .record(z.string(), z.string().min(1).max(200))
    .nullable()
    .optional()
    .describe('what $subject becomes per subject, e.g. {"PRODUCTION": "prod"}'),
  step: z.string().nullable().optional().describe('the series step, e.g. "1m"'),
});

/** A PATCH sends any of the fields; the rest are kept. */
export const MappingUpdateBody = MappingCreateBody.partial();

export const INTEGRATION_CREATE_FIELDS = Object.keys(IntegrationCreateBody.shape);
export const INTEGRATION_UPDATE_FIELDS = Object.keys(IntegrationUpdateBody.shape);
export const MAPPING_FIELDS = Object.keys(MappingCreateBody.shape);
/** The fields a new mapping must have, in the order they are asked for. */
export const MAPPING_REQUIRED_FIELDS = MAPPING_FIELDS.filter(
  (k) => !MappingCreateBody.shape[k as keyof typeof MappingCreateBody.shape].safeParse(undefined).success,
);
