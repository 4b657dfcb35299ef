/** Table types of notification channels (migration 013); used through `withChannelTables`, beside schema.ts. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface ChannelsTable {
  id: string;
  org_id: string;
  type: string;
  name: string;
  /** JSON text: the config's plain fields. */
  config: string;
  /** The config's secret fields as JSON, sealed (secrets.ts); null when the type has none set. */
  secrets: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface ForwardingRulesTable {
  id: string;
  org_id: string;
  name: string;
  channel_id: string;
  /** JSON text: {types, sources, subjects, severities}. */
  filters: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface NotificationSettingsTable {
  org_id: string;
  /** JSON arrays of channel ids. */
  regression_channels: string;
  triage_channels: string;
  updated_at: number;
}

export interface ChannelDeliveriesTable {
  idempotency_key: string;
  channel_id: string;
  org_id: string;
  kind: string;
  created_at: number;
}

export type ChannelTables = {
  channels: ChannelsTable;
  forwarding_rules: ForwardingRulesTable;
  notification_settings: NotificationSettingsTable;
  channel_deliveries: ChannelDeliveriesTable;
};

export type ChannelDatabase = Database & ChannelTables;

/** The same connection (or transaction) typed with the channel tables. */
export const withChannelTables = (db: Kysely<Database>): Kysely<ChannelDatabase> =>
  db.withTables<ChannelTables>();
