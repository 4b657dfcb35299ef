/**
 * The bodies of the freeze window and deployment policy routes, as zod schemas: what the OpenAPI
 * document shows, and the one list of fields `input.ts` accepts (it takes the field names from
 * here; it checks each value by hand, for messages that say the fix).
 */
import { SEVERITIES } from '@opstrails/core';
import { z } from 'zod';
import { RULE_TYPES } from '../../../../domain/guardrails/types.js';

const names = z.array(z.string().min(1).max(500)).max(100).nullable();
const time = z.string().describe('an RFC 3339 time, or what event `time` accepts (e.g. "NOW")');

export const FreezeBody = z.object({
  name: z.string().min(1).max(100),
  startsAt: time,
  endsAt: time,
  subjects: names.optional(),
  sources: names.optional(),
  types: names.optional(),
  severities: z.array(z.enum(SEVERITIES)).nullable().optional(),
  notificationChannels: names.optional().describe('ids of channels of this organization'),
  enabled: z.boolean().optional(),
  recurrence: z
    .object({
      rrule: z
        .string()
        .max(500)
        .describe('RFC 5545 RRULE without DTSTART, e.g. FREQ=WEEKLY;BYDAY=FR;BYHOUR=16'),
      duration: z.string().describe('ISO 8601 duration, e.g. PT64H'),
      timezone: z.string().describe('IANA zone, e.g. Europe/Berlin'),
    })
    .nullable()
    .optional(),
});

export const PolicyBody = z.object({
  name: z.string().min(1).max(100),
  ruleType: z.enum(RULE_TYPES),
  config: z.record(z.string(), z.unknown()).describe("the rule type's settings (docs/api.md, rule types)"),
  subjects: names.optional(),
  sources: names.optional(),
  types: names.optional(),
  notificationChannels: names.optional().describe('ids of channels of this organization'),
  enabled: z.boolean().optional(),
});

/** A PATCH sends any of the fields; the rest are kept. */
export const FreezePatchBody = FreezeBody.partial();
export const PolicyPatchBody = PolicyBody.partial();
