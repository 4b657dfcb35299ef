/** A forwarding rule's body: `{name, channelId, types?, sources?, subjects?, severities?, enabled?}`. */
import { ApiError, SEVERITIES } from '@opstrails/core';
import { z } from 'zod';
import type { ForwardingFilters, ForwardingRule } from '../../../../store/channels.js';
import { badRequest } from '../../../envelope.js';
import { bodyObject, onlyFields, readEnabled, readName } from '../channels/input.js';

const EXAMPLE =
  'send {"name": "Production deploys to Grafana", "channelId": "ch_…", "types": ["deployment"], "subjects": ["PRODUCTION"]}';
const FILTERS = ['types', 'sources', 'subjects', 'severities'] as const;

const filter = z.array(z.string().min(1).max(500)).max(50).nullable().optional();

/** The body of POST (PATCH: any of the fields): the OpenAPI document shows it; readRule accepts its fields. */
export const ForwardingBody = z.object({
  name: z.string().min(1).max(100),
  channelId: z.string().min(1).describe('a channel of this organization (GET /api/v1/channels)'),
  enabled: z.boolean().optional(),
  types: filter,
  sources: filter,
  subjects: filter,
  severities: z.array(z.enum(SEVERITIES)).nullable().optional(),
});

function readList(field: string, value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v.trim() === '' || v.length > 500))
    throw badRequest(
      field,
      'must be a list of non-empty strings (an empty list matches all), e.g. ["PRODUCTION"]',
    );
  if (value.length > 50) throw badRequest(field, 'at most 50 values');
  return value.map((v: string) => v.trim());
}

export interface RuleInput {
  name: string;
  channelId: string;
  filters: ForwardingFilters;
  enabled: boolean;
}

/** Reads a whole rule (create) or a change merged onto `previous` (update). */
export function readRule(body: unknown, previous?: ForwardingRule): RuleInput {
  const b = bodyObject(body, EXAMPLE);
  onlyFields(b, Object.keys(ForwardingBody.shape), EXAMPLE);
  const name = b.name === undefined && previous ? previous.name : readName(b.name);
  let channelId = previous?.channelId;
  if (b.channelId !== undefined || !previous) {
    if (typeof b.channelId !== 'string' || b.channelId === '')
      throw badRequest(
        'channelId',
        'is required: the id of the channel to send matching events to (GET /api/v1/channels)',
      );
    channelId = b.channelId;
  }
  const filters = Object.fromEntries(
    FILTERS.map((f) => [f, b[f] === undefined && previous ? previous[f] : readList(f, b[f])]),
  ) as unknown as ForwardingFilters;
  const badSeverity = filters.severities.find(
    (s) => !(SEVERITIES as readonly string[]).includes(s.toUpperCase()),
  );
  if (badSeverity)
    throw badRequest('severities', `"${badSeverity}" is not a severity; use ${SEVERITIES.join(', ')}`);
  filters.severities = filters.severities.map((s) => s.toUpperCase());
  return {
    name,
    channelId: channelId as string,
    filters,
    enabled: readEnabled(b.enabled) ?? previous?.enabled ?? true,
  };
}

export function ruleNotFound(id: string): ApiError {
  return new ApiError('NOT_FOUND', `id: no forwarding rule "${id}" in this organization`);
}

export function ruleView(r: ForwardingRule) {
  return {
    id: r.id,
    name: r.name,
    channelId: r.channelId,
    types: r.types,
    sources: r.sources,
    subjects: r.subjects,
    severities: r.severities,
    enabled: r.enabled,
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}
