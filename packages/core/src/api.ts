/** Shapes of API answers shared by the server, the SDK and the CLI. */

import type { ErrorCode } from './errors.js';
import type { StoredEvent } from './event.js';
import type { Scope, Severity } from './limits.js';

export interface BatchRejection {
  index: number;
  error: string;
  code: ErrorCode;
}

/**
 * A stored event as the answer to sending it (`data` of a 201, or an item of a batch's
 * `accepted`): `warnings` name what was stored but looks unintended (a misspelt attribute kept
 * as an extension), and are present only when there are some.
 */
export interface AcceptedEvent extends StoredEvent {
  warnings?: string[];
}

export interface BatchResult {
  accepted: AcceptedEvent[];
  /** How many of `accepted` are new; the others were already stored (a resend of source + id). */
  created: number;
  rejected: BatchRejection[];
}

export interface EventPage {
  events: StoredEvent[];
  nextCursor: string | null;
}

/** Filters of `GET /api/v1/events`, as query parameters. */
export interface EventQueryParams {
  from?: string;
  to?: string;
  type?: string | string[];
  source?: string | string[];
  subject?: string | string[];
  severity?: Severity | Severity[];
  search?: string;
  /** Exact match on the CloudEvents extension attribute of that name. */
  correlationid?: string | string[];
  causationid?: string | string[];
  timezone?: string;
  limit?: number;
  cursor?: string;
}

export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scope: Scope;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}
