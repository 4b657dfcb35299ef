/** The fields of a channel request body, checked with messages that name the field and the fix. */
import { ApiError } from '@opstrails/core';
import { z } from 'zod';
import type { ChannelType } from '../../../../channels/channel-type.js';
import { CHANNEL_TYPE_NAMES, CHANNEL_TYPES, channelType } from '../../../../channels/registry.js';
import { badRequest } from '../../../envelope.js';

const channelName = z.string().min(1).max(100);

/** PATCH's fields (and POST's besides `type`): the OpenAPI document shows them; the routes accept these. */
export const ChannelUpdateBody = z.object({
  name: channelName.optional(),
  config: z
    .record(z.string(), z.unknown())
    .optional()
    .describe("fields of the channel type's config; they merge into the stored ones"),
  enabled: z.boolean().optional(),
});

/** POST per channel type: `config` is the schema that type checks its config with (channels/<type>.ts). */
export const ChannelCreateBody = z.union(
  CHANNEL_TYPES.map((t) =>
    z.object({
      type: z.literal(t.type),
      name: channelName,
      config: t.config,
      enabled: z.boolean().optional(),
    }),
  ) as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]],
);

export const CHANNEL_UPDATE_FIELDS = Object.keys(ChannelUpdateBody.shape);
export const CHANNEL_CREATE_FIELDS = ['type', ...CHANNEL_UPDATE_FIELDS];

export function bodyObject(body: unknown, example: string): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body))
    throw badRequest('request body', `must be a JSON object: ${example}`);
  return body as Record<string, unknown>;
}

export function onlyFields(body: Record<string, unknown>, allowed: string[], example: string): void {
  const unknown = Object.keys(body).find((k) => !allowed.includes(k));
  if (unknown) throw badRequest(unknown, `is not a field here (${allowed.join(', ')}); ${example}`);
}

export function readName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest('name', 'is required: a name people recognise, e.g. "Ops Slack"');
  if (value.trim().length > 100) throw badRequest('name', 'must be at most 100 characters; shorten it');
  return value.trim();
}

export function readEnabled(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean')
    throw badRequest('enabled', `must be true or false, not ${JSON.stringify(value)}`);
  return value;
}

export function readType(value: unknown): ChannelType {
  const type = typeof value === 'string' ? channelType(value) : undefined;
  if (!type)
    throw badRequest(
      'type',
      `${value === undefined ? 'is required' : `${JSON.stringify(value)} is not a channel type`}; use one of ${CHANNEL_TYPE_NAMES.join(', ')}`,
    );
  return type;
}

export function notFound(id: string): ApiError {
  return new ApiError('NOT_FOUND', `id: no channel "${id}" in this organization`);
}
