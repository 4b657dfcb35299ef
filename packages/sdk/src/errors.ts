/**
 * The SDK's error classes, the same names, codes and fields as the hosted SDK's. HTTP failures
 * carry the server's `code` and the HTTP `status`; `NetworkError` and `TimeoutError` (status 0)
 * mean no answer came.
 */
import type { ApiErrorResponse } from './types.js';

/** Base class of every error the client throws. */
export class OpsTrailsError extends Error {
  constructor(
    message: string,
    /** The server's error code (`VALIDATION_ERROR`, ...) or `NETWORK_ERROR` / `TIMEOUT`. */
    readonly code: string,
    /** The HTTP status of the answer; 0 when no answer came (network failure, timeout). */
    readonly status = 0,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The HTTP status under its earlier name, kept for code written against it. */
  get statusCode(): number {
    return this.status;
  }
}

/** 401: the key is missing, unknown or revoked. The caller's configuration is at fault. */
export class AuthenticationError extends OpsTrailsError {
  constructor(message: string, code = 'UNAUTHORIZED', status = 401) {
    super(message, code, status);
  }
}

/** 403: the key's scope does not allow this (a READ_ONLY key sending an event). */
export class ForbiddenError extends OpsTrailsError {
  constructor(message: string, code = 'FORBIDDEN', status = 403) {
    super(message, code, status);
  }
}

/** 400 (or 414 / 415 with the same code): a field breaks a rule; the message names it. */
export class ValidationError extends OpsTrailsError {
  constructor(message: string, code = 'VALIDATION_ERROR', status = 400) {
    super(message, code, status);
  }
}

/**
 * 429: the quota or rate limit is reached. `retryAfter` (seconds) and `resetAt` say when the
 * server accepts events again, when it said so (`Retry-After`).
 */
export class QuotaExceededError extends OpsTrailsError {
  constructor(
    message: string,
    code = 'QUOTA_EXCEEDED',
    readonly retryAfter?: number,
    readonly resetAt?: Date,
  ) {
    super(message, code, 429);
  }
}

/** 404: no such resource in this organization. */
export class NotFoundError extends OpsTrailsError {
  constructor(message: string, code = 'NOT_FOUND', status = 404) {
    super(message, code, status);
  }
}

/** The server could not be reached or the connection dropped, after every retry. */
export class NetworkError extends OpsTrailsError {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message, 'NETWORK_ERROR', 0);
  }
}

/** No answer within the configured `timeout`, after every retry. */
export class TimeoutError extends OpsTrailsError {
  constructor(message: string) {
    super(message, 'TIMEOUT', 0);
  }
}

type ErrorClass = new (message: string, code?: string, status?: number) => OpsTrailsError;

/** The class for each code, as the hosted SDK chooses it. */
const BY_CODE: Record<string, ErrorClass> = {
  UNAUTHORIZED: AuthenticationError,
  FORBIDDEN: ForbiddenError,
  VALIDATION_ERROR: ValidationError,
  NOT_FOUND: NotFoundError,
};

/** The class for a status, when the body's code names none (a proxy's error page, a code of ours). */
const BY_STATUS: Record<number, ErrorClass> = {
  400: ValidationError,
  401: AuthenticationError,
  403: ForbiddenError,
  404: NotFoundError,
};

/**
 * Builds the error for a failed answer: the class from the body's `code` (as the hosted SDK
 * does), else from the status (any other 429, `RATE_LIMITED` included, is a
 * `QuotaExceededError`); `retryAfterMs`, the answer's `Retry-After`, goes on a 429.
 *
 * @example
 * const error = createErrorFromResponse({ success: false, error: 'type: is required', code: 'VALIDATION_ERROR' }, 400);
 */
export function createErrorFromResponse(
  response: Partial<ApiErrorResponse> | { error?: unknown; code?: unknown } | undefined,
  status: number,
  retryAfterMs?: number,
): OpsTrailsError {
  const message = typeof response?.error === 'string' ? response.error : `HTTP ${status}`;
  const code = typeof response?.code === 'string' ? response.code : undefined;
  const ErrorClass = (code === undefined ? undefined : BY_CODE[code]) ?? BY_STATUS[status];
  if (ErrorClass && code !== 'QUOTA_EXCEEDED') return new ErrorClass(message, code, status);
  if (code === 'QUOTA_EXCEEDED' || status === 429) {
    return new QuotaExceededError(
      message,
      code,
      retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs / 1000),
      retryAfterMs === undefined ? undefined : new Date(Date.now() + retryAfterMs),
    );
  }
  return new OpsTrailsError(message, code ?? (status >= 500 ? 'INTERNAL_ERROR' : `HTTP_${status}`), status);
}
