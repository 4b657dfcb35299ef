/** Table types of metrics and integrations (migration 014); used through `withMetricTables`, beside schema.ts. */
import type { Generated, Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface MetricSeriesTable {
  id: Generated<number>;
  org_id: string;
  /** SHA-256 hex of [metric, subject, source]: the unique identity within the organization. */
  key: string;
  metric: string;
  subject: string;
  /** '' when the points speak for the whole subject. */
  source: string;
  subject_lower: string;
  source_lower: string;
  raw_from: number;
  last_point_at: number;
  created_at: number;
}

export interface MetricPointsTable {
  series_id: number;
  time: number;
  value: number;
}

export interface MetricRollupsTable {
  series_id: number;
  step_ms: number;
  /** Start of the step (a multiple of step_ms). */
  time: number;
  count: number;
  sum: number;
  min: number;
  max: number;
}

export interface MetricSettingsTable {
  org_id: string;
  metric: string;
  direction: string | null;
  unit: string | null;
  updated_at: number;
}

export interface IntegrationsTable {
  id: string;
  org_id: string;
  provider: string;
  name: string;
  config: string;
  secrets: string | null;
  status: string;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

export interface MetricMappingsTable {
  id: string;
  org_id: string;
  metric: string;
  integration_id: string;
  query: string;
  subjects: string;
  subject_values: string;
  source: string | null;
  unit: string | null;
  direction: string;
  step_ms: number | null;
  created_at: number;
  updated_at: number;
}

export type MetricTables = {
  metric_series: MetricSeriesTable;
  metric_points: MetricPointsTable;
  metric_rollups: MetricRollupsTable;
  metric_settings: MetricSettingsTable;
  integrations: IntegrationsTable;
  metric_mappings: MetricMappingsTable;
};

export type MetricDatabase = Database & MetricTables;

/** The same connection (or transaction) typed with the metric tables. */
export const withMetricTables = (db: Kysely<Database>): Kysely<MetricDatabase> =>
  db.withTables<MetricTables>();
