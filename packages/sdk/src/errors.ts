/**
 * The SDK's error classes, the same names and codes as the hosted SDK's. HTTP failures carry
 * the server's `code` and `statusCode`; `NetworkError` and `TimeoutError` mean no answer came.
 */

/** Base class of every error the client throws. */
export class OpsTrailsError extends Error {
  constructor(
    message: string,
    /** The server's error code (`VALIDATION_ERROR`, ...) or `NETWORK_ERROR` / `TIMEOUT`. */
    readonly code: string,
    /** The HTTP status, when the server answered. */
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 401: the key is missing, unknown or revoked. The caller's configuration is at fault. */
export class AuthenticationError extends OpsTrailsError {
  constructor(message: string, code = 'UNAUTHORIZED') {
    super(message, code, 401);
  }
}

/** 403: the key's scope does not allow this (a READ_ONLY key sending an event). */
export class ForbiddenError extends OpsTrailsError {
  constructor(message: string, code = 'FORBIDDEN') {
    super(message, code, 403);
  }
}

/** 400: a field breaks a rule; the message names it. The caller's input is at fault. */
export class ValidationError extends OpsTrailsError {
  constructor(message: string, code = 'VALIDATION_ERROR') {
    super(message, code, 400);
  }
}

/** 429 after every retry: the quota or rate limit is reached. `retryAfter` is in seconds. */
export class QuotaExceededError extends OpsTrailsError {
  constructor(
    message: string,
    code = 'QUOTA_EXCEEDED',
    readonly retryAfter?: number,
  ) {
    super(message, code, 429);
  }
}

/** 404: no such resource in this organization. */
export class NotFoundError extends OpsTrailsError {
  constructor(message: string, code = 'NOT_FOUND') {
    super(message, code, 404);
  }
}

/** The server could not be reached or the connection dropped, after every retry. */
export class NetworkError extends OpsTrailsError {
  constructor(
    message: string,
    override readonly cause?: unknown,
  ) {
    super(message, 'NETWORK_ERROR');
  }
}

/** No answer within the configured `timeout`, after every retry. */
export class TimeoutError extends OpsTrailsError {
  constructor(message: string) {
    super(message, 'TIMEOUT');
  }
}

/** Builds the error for a failed HTTP answer from its status and envelope. */
export function errorFromResponse(
  status: number,
  body: { error?: unknown; code?: unknown } | undefined,
  retryAfter: number | undefined,
): OpsTrailsError {
  const message = typeof body?.error === 'string' ? body.error : `HTTP ${status}`;
  const code = typeof body?.code === 'string' ? body.code : undefined;
  switch (status) {
    case 400:
      return new ValidationError(message, code);
    case 401:
      return new AuthenticationError(message, code);
    case 403:
      return new ForbiddenError(message, code);
    case 404:
      return new NotFoundError(message, code);
    case 429:
      return new QuotaExceededError(message, code, retryAfter);
    default:
      return new OpsTrailsError(
        message,
        code ?? (status >= 500 ? 'INTERNAL_ERROR' : `HTTP_${status}`),
        status,
      );
  }
}
