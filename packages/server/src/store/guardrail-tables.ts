/** Table types of guardrails (migration 012); used through `withGuardrailTables`, beside schema.ts. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface GuardrailFreezesTable {
  id: string;
  org_id: string;
  name: string;
  starts_at: number;
  ends_at: number;
  /** JSON text: {subjects, sources, types, severities}. */
  filters: string;
  /** JSON array of channel ids. */
  channels: string;
  enabled: number;
  /** JSON text {rrule, duration, timezone}, or null for a one-off window. */
  recurrence: string | null;
  revision: number;
  violated_occurrence: number | null;
  created_at: number;
  updated_at: number;
}

export interface GuardrailPoliciesTable {
  id: string;
  org_id: string;
  name: string;
  rule_type: string;
  /** JSON text of the rule's config. */
  config: string;
  filters: string;
  channels: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface GuardrailViolationsTable {
  id: string;
  org_id: string;
  guardrail_type: string;
  guardrail_id: string;
  guardrail_name: string;
  rule_type: string;
  reason: string;
  event_seq: number;
  event_id: string;
  event_source: string;
  event_type: string;
  event_subject: string | null;
  event_version: string | null;
  event_time: number;
  created_at: number;
}

// A type alias, not an interface: withTables needs the index signature aliases have.
export type GuardrailTables = {
  guardrail_freezes: GuardrailFreezesTable;
  guardrail_policies: GuardrailPoliciesTable;
  guardrail_violations: GuardrailViolationsTable;
};

export type GuardrailDatabase = Database & GuardrailTables;

/** The same connection (or transaction) typed with the guardrail tables. */
export const withGuardrailTables = (db: Kysely<Database>): Kysely<GuardrailDatabase> =>
  db.withTables<GuardrailTables>();
