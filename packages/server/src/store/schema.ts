/** Table types for Kysely. Times are UTC epoch milliseconds (BIGINT on PostgreSQL). */
import type { Generated } from 'kysely';
import type { DoraSettingsTable } from './dora-tables.js';
import type {
  OAuthClientsTable,
  OAuthCodesTable,
  OAuthGrantsTable,
  OAuthRequestsTable,
  OAuthTokensTable,
} from './oauth-tables.js';
import type {
  ConsumerCursorsTable,
  ConsumerSkippedTable,
  JobRunsTable,
  OutboxTable,
} from './reaction-tables.js';

export interface OrganizationsTable {
  id: string;
  slug: string;
  name: string;
  plan: string;
  created_at: number;
  business_context: string | null;
  context_updated_at: number | null;
  /** JSON of the operator's per-limit overrides on top of the plan; null = the plan's limits. */
  limit_overrides: string | null;
}

/** Rate limiter counters: requests of one key or address in one window (migration 017). */
export interface RateLimitsTable {
  bucket: string;
  window_start: number;
  count: number;
}

export interface ApiKeysTable {
  id: string;
  org_id: string;
  name: string;
  /** The first characters of the key, shown in lists so a key can be recognised. */
  prefix: string;
  /** SHA-256 of the whole key, hex. The key itself is never stored. */
  hash: string;
  scope: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface EventsTable {
  /** Monotonic row number: the live feed's `Last-Event-ID` and the tiebreak of the time order. */
  seq: Generated<number>;
  org_id: string;
  id: string;
  source: string;
  type: string;
  subject: string | null;
  severity: string | null;
  version: string | null;
  time: number;
  received_at: number;
  datacontenttype: string;
  dataschema: string | null;
  /** JSON text of `data`, or null. */
  data: string | null;
  /** Lower-cased type, source, subject, version and data.description, for free-text search. */
  search_text: string;
  size: number;
  /** JSON text of the CloudEvents extension attributes, or null when there are none. */
  extensions: string | null;
  /** The `correlationid` and `causationid` extensions as text, for linking events (indexed). */
  correlationid: string | null;
  causationid: string | null;
  /** `type`, `source`, `subject` folded by `foldCase`, for case-insensitive filters (indexed). */
  type_lower: string;
  source_lower: string;
  subject_lower: string | null;
  /**
   * The inserting transaction's id on PostgreSQL (0 on SQLite): with `seq`, the event's
   * position in the log that consumers and the live feed read (see event-log.ts).
   */
  txid: Generated<number>;
}

export interface UsageTable {
  org_id: string;
  metric: string;
  /** "2026-11" for a month, "2026-11-22" for a day (UTC). */
  period: string;
  count: number;
}

export interface InstallTable {
  id: string;
  completed_at: number;
}

export interface UsersTable {
  id: string;
  /** Lower-cased; the login name. */
  email: string;
  name: string;
  /** `scrypt$N$r$p$salt$hash` (see auth/passwords.ts). */
  password_hash: string;
  created_at: number;
}

export interface MembershipsTable {
  user_id: string;
  org_id: string;
  /** OWNER, ADMIN or MEMBER. */
  role: string;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  /** SHA-256 of the cookie value; the cookie itself is never stored. */
  token_hash: string;
  user_id: string;
  /** The organization the session is looking at; switching changes it. */
  org_id: string;
  /** Sent back in X-CSRF-Token on every state-changing request. */
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface InvitesTable {
  id: string;
  token_hash: string;
  org_id: string;
  role: string;
  created_by: string | null;
  created_at: number;
  expires_at: number;
  accepted_at: number | null;
}

export interface LoginAttemptsTable {
  key: string;
  attempts: number;
  last_attempt_at: number;
  next_attempt_at: number | null;
}

export interface Database {
  organizations: OrganizationsTable;
  rate_limits: RateLimitsTable;
  api_keys: ApiKeysTable;
  events: EventsTable;
  usage: UsageTable;
  install: InstallTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  invites: InvitesTable;
  login_attempts: LoginAttemptsTable;
  consumer_cursors: ConsumerCursorsTable;
  consumer_skipped: ConsumerSkippedTable;
  outbox: OutboxTable;
  job_runs: JobRunsTable;
  dora_settings: DoraSettingsTable;
  oauth_clients: OAuthClientsTable;
  oauth_requests: OAuthRequestsTable;
  oauth_grants: OAuthGrantsTable;
  oauth_codes: OAuthCodesTable;
  oauth_tokens: OAuthTokensTable;
}
