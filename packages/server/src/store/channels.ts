/**
 * Notification channels, forwarding rules, notification settings and the channel delivery log
 * (migration 013). Secrets arrive sealed and leave sealed: channels/service.ts seals and opens
 * them. Every method takes the organization, so one organization never reaches another's rows.
 */
import type { Kysely } from 'kysely';
import { type ChannelDatabase, withChannelTables } from './channel-tables.js';
import { newId } from './ids.js';
import type { DeliveryState } from './outbox.js';
import type { Database } from './schema.js';

export interface ChannelRow {
  id: string;
  orgId: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
  /** Sealed JSON of the secret fields, or null. */
  secrets: string | null;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface ForwardingFilters {
  types: string[];
  sources: string[];
  subjects: string[];
  severities: string[];
}

export interface ForwardingRule extends ForwardingFilters {
  id: string;
  orgId: string;
  name: string;
  channelId: string;
  enabled: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface NotificationSettings {
  regressionChannels: string[];
  triageChannels: string[];
  updatedAt: number | null;
}

export interface ChannelDelivery {
  id: number;
  kind: string;
  state: DeliveryState;
  attempts: number;
  lastAnswer: string | null;
  createdAt: number;
  updatedAt: number;
}

const toChannel = (r: ChannelDatabase['channels']): ChannelRow => ({
  id: r.id,
  orgId: r.org_id,
  type: r.type,
  name: r.name,
  config: JSON.parse(r.config) as Record<string, unknown>,
  secrets: r.secrets,
  enabled: Number(r.enabled) === 1,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const toRule = (r: ChannelDatabase['forwarding_rules']): ForwardingRule => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  channelId: r.channel_id,
  ...(JSON.parse(r.filters) as ForwardingFilters),
  enabled: Number(r.enabled) === 1,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export class ChannelRepository {
  private readonly db: Kysely<ChannelDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = withChannelTables(db);
  }

  /** The same repository on a transaction (a consumer's `trx`). */
  on(trx: Kysely<Database>): ChannelRepository {
    return new ChannelRepository(trx);
  }

  async count(orgId: string): Promise<number> {
    const row = await this.db
      .selectFrom('channels')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async create(
    orgId: string,
    input: {
      type: string;
      name: string;
      config: Record<string, unknown>;
      secrets: string | null;
      enabled: boolean;
    },
    now = Date.now(),
  ): Promise<ChannelRow> {
    const row = {
      id: newId('ch'),
      org_id: orgId,
      type: input.type,
      name: input.name,
      config: JSON.stringify(input.config),
      secrets: input.secrets,
      enabled: input.enabled ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('channels').values(row).execute();
    return toChannel(row);
  }

  async list(orgId: string): Promise<ChannelRow[]> {
    const rows = await this.db
      .selectFrom('channels')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toChannel);
  }

  async get(orgId: string, id: string): Promise<ChannelRow | null> {
    const row = await this.db
      .selectFrom('channels')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toChannel(row) : null;
  }

  /** The channels among `ids` of this organization (unknown ids are left out). */
  async byIds(orgId: string, ids: string[]): Promise<ChannelRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom('channels')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', 'in', ids)
      .execute();
    return rows.map(toChannel);
  }

  async byType(orgId: string, type: string): Promise<ChannelRow[]> {
    const rows = await this.db
      .selectFrom('channels')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('type', '=', type)
      .execute();
    return rows.map(toChannel);
  }

  async update(
    orgId: string,
    id: string,
    change: { name: string; config: Record<string, unknown>; secrets: string | null; enabled: boolean },
    now = Date.now(),
  ): Promise<ChannelRow | null> {
    await this.db
      .updateTable('channels')
      .set({
        name: change.name,
        config: JSON.stringify(change.config),
        secrets: change.secrets,
        enabled: change.enabled ? 1 : 0,
        updated_at: now,
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    return this.get(orgId, id);
  }

  /** Deletes the channel, its forwarding rules and its delivery links (cascade); false when it did not exist. */
  async delete(orgId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('channels')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /**
   * Queues outbox rows for channels and records which channel each is for, in this repository's
   * connection (a consumer's transaction); a key queued before is left as it is.
   */
  async queueDeliveries(
    rows: {
      idempotencyKey: string;
      orgId: string;
      channelId: string;
      kind: string;
      notificationKind: string;
      payload: unknown;
    }[],
    now = Date.now(),
  ): Promise<void> {
    if (rows.length === 0) return;
    await this.db
      .insertInto('outbox')
      .values(
        rows.map((d) => ({
          idempotency_key: d.idempotencyKey,
          org_id: d.orgId,
          kind: d.kind,
          payload: JSON.stringify(d.payload),
          state: 'pending',
          next_attempt_at: now,
          created_at: now,
          updated_at: now,
        })),
      )
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
    await this.db
      .insertInto('channel_deliveries')
      .values(
        rows.map((d) => ({
          idempotency_key: d.idempotencyKey,
          channel_id: d.channelId,
          org_id: d.orgId,
          kind: d.notificationKind,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .execute();
  }

  /** A channel's deliveries, newest first, with their outbox state. */
  async deliveries(orgId: string, channelId: string, limit: number): Promise<ChannelDelivery[]> {
    const rows = await this.db
      .selectFrom('channel_deliveries as d')
      .innerJoin('outbox as o', 'o.idempotency_key', 'd.idempotency_key')
      .select(['o.id', 'd.kind', 'o.state', 'o.attempts', 'o.last_answer', 'd.created_at', 'o.updated_at'])
      .where('d.org_id', '=', orgId)
      .where('d.channel_id', '=', channelId)
      .orderBy('d.created_at', 'desc')
      .orderBy('o.id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      state: r.state as DeliveryState,
      attempts: Number(r.attempts),
      lastAnswer: r.last_answer,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }));
  }

  // Forwarding rules

  async createRule(
    orgId: string,
    input: { name: string; channelId: string; filters: ForwardingFilters; enabled: boolean },
    now = Date.now(),
  ): Promise<ForwardingRule> {
    const row = {
      id: newId('fwd'),
      org_id: orgId,
      name: input.name,
      channel_id: input.channelId,
      filters: JSON.stringify(input.filters),
      enabled: input.enabled ? 1 : 0,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('forwarding_rules').values(row).execute();
    return toRule(row);
  }

  async listRules(orgId: string): Promise<ForwardingRule[]> {
    const rows = await this.db
      .selectFrom('forwarding_rules')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toRule);
  }

  async getRule(orgId: string, id: string): Promise<ForwardingRule | null> {
    const row = await this.db
      .selectFrom('forwarding_rules')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toRule(row) : null;
  }

  async updateRule(
    orgId: string,
    id: string,
    change: { name: string; channelId: string; filters: ForwardingFilters; enabled: boolean },
    now = Date.now(),
  ): Promise<ForwardingRule | null> {
    await this.db
      .updateTable('forwarding_rules')
      .set({
        name: change.name,
        channel_id: change.channelId,
        filters: JSON.stringify(change.filters),
        enabled: change.enabled ? 1 : 0,
        updated_at: now,
      })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    return this.getRule(orgId, id);
  }

  async deleteRule(orgId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('forwarding_rules')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** The enabled forwarding rules of these organizations whose channel is enabled too. */
  async activeRules(orgIds: string[]): Promise<ForwardingRule[]> {
    if (orgIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('forwarding_rules as r')
      .innerJoin('channels as c', 'c.id', 'r.channel_id')
      .selectAll('r')
      .where('r.org_id', 'in', orgIds)
      .where('r.enabled', '=', 1)
      .where('c.enabled', '=', 1)
      .execute();
    return rows.map(toRule);
  }

  // Settings

  async settings(orgId: string): Promise<NotificationSettings> {
    const row = await this.db
      .selectFrom('notification_settings')
      .selectAll()
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return row
      ? {
          regressionChannels: JSON.parse(row.regression_channels) as string[],
          triageChannels: JSON.parse(row.triage_channels) as string[],
          updatedAt: Number(row.updated_at),
        }
      : { regressionChannels: [], triageChannels: [], updatedAt: null };
  }

  async saveSettings(
    orgId: string,
    settings: { regressionChannels: string[]; triageChannels: string[] },
    now = Date.now(),
  ): Promise<NotificationSettings> {
    const values = {
      regression_channels: JSON.stringify(settings.regressionChannels),
      triage_channels: JSON.stringify(settings.triageChannels),
      updated_at: now,
    };
    await this.db
      .insertInto('notification_settings')
      .values({ org_id: orgId, ...values })
      .onConflict((oc) => oc.column('org_id').doUpdateSet(values))
      .execute();
    return { ...settings, updatedAt: now };
  }

  /** Organizations among `orgIds` that name at least one triage channel. */
  async triageSettings(orgIds: string[]): Promise<Map<string, string[]>> {
    if (orgIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('notification_settings')
      .select(['org_id', 'triage_channels'])
      .where('org_id', 'in', orgIds)
      .execute();
    return new Map(
      rows
        .map((r) => [r.org_id, JSON.parse(r.triage_channels) as string[]] as const)
        .filter(([, ids]) => ids.length > 0),
    );
  }
}
