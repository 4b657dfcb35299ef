/**
 * Channels as the API and the senders see them: the config split into plain fields and sealed
 * secrets on the way in, secrets masked on the way out (`••••abcd`), opened only to send.
 */
import { ApiError, formatTime } from '@opstrails/core';
import type { z } from 'zod';
import { isMask, maskSecret, type SecretBox } from '../secrets.js';
import type { ChannelRepository, ChannelRow } from '../store/channels.js';
import type { ChannelTarget, ChannelType } from './channel-type.js';
import { channelType } from './registry.js';

export interface ChannelView {
  id: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
}

function issuesMessage(error: z.ZodError): string {
  return error.issues
    .map(
      (i) =>
        `config${i.path.length > 0 ? `.${i.path.join('.')}` : ''}: ${
          i.code === 'unrecognized_keys'
            ? `${i.keys.join(', ')} ${i.keys.length > 1 ? 'are' : 'is'} not a field of this channel type`
            : i.message
        }`,
    )
    .join('; ');
}

export class ChannelService {
  constructor(
    readonly repo: ChannelRepository,
    private readonly box: SecretBox,
  ) {}

  view(row: ChannelRow): ChannelView {
    const type = channelType(row.type);
    const secrets = this.openSecrets(row, false);
    const masked = Object.fromEntries(
      Object.entries(secrets).map(([k, v]) => [k, typeof v === 'string' ? maskSecret(v) : v]),
    );
    // Secret fields that cannot be opened (the key changed) still show that something is set.
    for (const field of type?.secretFields ?? [])
      if (row.secrets && !(field in masked)) masked[field] = '••••';
    return {
      id: row.id,
      type: row.type,
      name: row.name,
      config: { ...row.config, ...masked },
      enabled: row.enabled,
      createdAt: formatTime(row.createdAt),
      updatedAt: formatTime(row.updatedAt),
    };
  }

  /**
   * Validates a whole config for `type` and splits it: plain fields stored as JSON, secrets
   * sealed. `previous` (an update) supplies secrets left out or sent back masked; secrets it can no
   * longer open (OPSTRAILS_SECRET changed) are dropped, so a required one must be entered again (400).
   */
  prepare(
    type: ChannelType,
    config: unknown,
    previous?: ChannelRow,
  ): { config: Record<string, unknown>; secrets: string | null } {
    if (config === undefined || config === null || typeof config !== 'object' || Array.isArray(config))
      throw new ApiError('VALIDATION_ERROR', `config: must be an object with the ${type.label} settings`);
    const merged: Record<string, unknown> = {
      ...(previous ? { ...previous.config, ...this.openSecrets(previous, false) } : {}),
    };
    for (const [k, v] of Object.entries(config)) {
      if (type.secretFields.includes(k) && typeof v === 'string' && isMask(v) && previous) continue;
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    const parsed = type.config.safeParse(merged);
    if (!parsed.success) throw new ApiError('VALIDATION_ERROR', issuesMessage(parsed.error));
    const plain: Record<string, unknown> = {};
    const secret: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(parsed.data)) {
      if (v === undefined) continue;
      (type.secretFields.includes(k) ? secret : plain)[k] = v;
    }
    return {
      config: plain,
      secrets: Object.keys(secret).length > 0 ? this.box.seal(JSON.stringify(secret)) : null,
    };
  }

  /** The channel with its secrets, for a sender. Throws when the secrets cannot be opened. */
  target(row: ChannelRow): ChannelTarget {
    return {
      id: row.id,
      orgId: row.orgId,
      type: row.type,
      name: row.name,
      config: { ...row.config, ...this.openSecrets(row, true) },
    };
  }

  private openSecrets(row: ChannelRow, strict: boolean): Record<string, unknown> {
    if (!row.secrets) return {};
    try {
      return JSON.parse(this.box.open(row.secrets)) as Record<string, unknown>;
    } catch (error) {
      if (strict) throw error;
      return {};
    }
  }
}
