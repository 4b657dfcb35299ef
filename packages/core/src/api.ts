/** Shapes of API answers shared by the server, the SDK and the CLI. */

import type { ApiSuccess, ErrorCode } from './errors.js';
import type { StoredEvent } from './event.js';
import type { Scope, Severity } from './limits.js';

export interface BatchRejection {
  index: number;
  error: string;
  code: ErrorCode;
}

/** What looks unintended in a stored batch item (a misspelt attribute); `index` is its position in the batch. */
export interface BatchWarning {
  index: number;
  warnings: string[];
}

export interface BatchResult {
  accepted: StoredEvent[];
  rejected: BatchRejection[];
  /** Present only when some accepted item has warnings. */
  warnings?: BatchWarning[];
}

/** The answer to one event sent: the stored event, and `warnings` when something in it looks unintended. */
export interface EventCreated extends ApiSuccess<StoredEvent> {
  /** Present only when there are some. */
  warnings?: string[];
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
