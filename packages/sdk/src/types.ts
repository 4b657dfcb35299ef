/**
 * The wire types of the HTTP API, self-contained so the published SDK needs nothing else at
 * run time or compile time. `types.test.ts` proves each one identical to its source of truth
 * in `@opstrails/core`, so they cannot drift.
 */

export type Severity = 'LOW' | 'MINOR' | 'MAJOR' | 'CRITICAL';

export type ErrorCode =
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'VALIDATION_ERROR'
  | 'PAYLOAD_TOO_LARGE'
  | 'QUOTA_EXCEEDED'
  | 'RATE_LIMITED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'INTERNAL_ERROR';

/** A CloudEvents 1.0 event in structured mode, as sent (contract section 1). */
export interface CloudEvent {
  specversion: '1.0';
  type: string;
  source: string;
  /** `"NOW"`, RFC 3339 or RFC 2822. */
  time: string;
  id?: string | null;
  subject?: string | null;
  severity?: Severity | Lowercase<Severity> | (string & {}) | null;
  version?: string | null;
  datacontenttype?: string | null;
  dataschema?: string | null;
  data?: Record<string, unknown> | null;
  /** CloudEvents extension attributes (`correlationid`, `traceparent`, ...): lower-case a-z and 0-9 names, string, number or boolean values. */
  [extension: string]: unknown;
}

/** `data`: any JSON object; `description` (at most 1,000 characters) and `timezone` (IANA) are read. */
export interface EventData {
  description?: string;
  timezone?: string;
  [key: string]: unknown;
}

/** The stored event as every API answer renders it. */
export interface StoredEvent {
  id: string;
  specversion: '1.0';
  type: string;
  source: string;
  time: string;
  subject: string | null;
  severity: Severity | null;
  version: string | null;
  datacontenttype: string;
  dataschema: string | null;
  data: Record<string, unknown> | null;
  createdAt: string;
  /** CloudEvents extension attributes (string, number or boolean), after the twelve fields. */
  [extension: string]: unknown;
}

/**
 * The answer to one sent event: the stored event, plus `warnings` when the server kept
 * something it suspects is a mistake (a misspelled attribute kept as an extension).
 */
export interface TrackEventResponse extends StoredEvent {
  warnings?: string[];
}

/** The envelope of every successful answer. */
export interface ApiSuccessResponse<T> {
  success: true;
  data: T;
}

/** The envelope of every failed answer: a message naming the field, and the code. */
export interface ApiErrorResponse {
  success: false;
  error: string;
  code: string;
}

export type ApiResponse<T> = ApiSuccessResponse<T> | ApiErrorResponse;

export interface BatchRejection {
  index: number;
  error: string;
  code: ErrorCode;
}

/** The per-item answer to a batch: one bad event never sinks the others; accepted items may carry `warnings`. */
export interface BatchResult {
  accepted: TrackEventResponse[];
  /** How many of `accepted` are new; the others were already stored (a resend of source + id). */
  created: number;
  rejected: BatchRejection[];
}

/** One metric point for `sendMetrics` (extended API section 1). */
export interface MetricPoint {
  /** 1-100 characters of A-Z a-z 0-9 _ . : - (e.g. `error_rate`, `checkout.latency_p95`). */
  metric: string;
  /** The environment, as in events (e.g. `PRODUCTION`). */
  subject: string;
  /** The system it measures; without one the point speaks for the whole environment. */
  source?: string;
  /** `"NOW"`, RFC 3339, RFC 2822, a `Date`, or a number of Unix seconds. */
  time: string | number | Date;
  /** A finite number. */
  value: number;
}

/** The answer to `sendMetrics`: how many points were stored, and each refused one by index. */
export interface MetricsResult {
  accepted: number;
  rejected: BatchRejection[];
}

export interface EventPage {
  events: StoredEvent[];
  nextCursor: string | null;
}

/** Filters of `GET /api/v1/events`; list values match any of them. */
export interface EventQueryParams {
  /** ISO 8601 or relative (`-2h`, `-7d`, `-30m`). */
  from?: string;
  to?: string;
  type?: string | string[];
  source?: string | string[];
  subject?: string | string[];
  severity?: Severity | Severity[];
  /** Free text over type, source, subject, version and data.description. */
  search?: string;
  /** Exact match on the CloudEvents extension attribute of that name. */
  correlationid?: string | string[];
  causationid?: string | string[];
  /** IANA zone for bare datetimes in `from` / `to`. */
  timezone?: string;
  limit?: number;
  cursor?: string;
}
