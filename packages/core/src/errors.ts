/** The closed set of API error codes (contract section 2) and the error that carries one. */
export const ERROR_STATUS = {
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  VALIDATION_ERROR: 400,
  PAYLOAD_TOO_LARGE: 413,
  QUOTA_EXCEEDED: 429,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL_ERROR: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/**
 * A failure the caller can act on: the message names the field or the rule and the fix.
 * Thrown anywhere below the HTTP layer; the error handler turns it into the JSON envelope.
 */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Overrides the code's usual status (414 for a too-long URL, 415 for a wrong content type). */
    status?: number,
    /** Seconds until a retry can succeed; sets `Retry-After` on 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = status ?? ERROR_STATUS[code];
  }
}

export interface ApiSuccess<T> {
  success: true;
  data: T;
}

export interface ApiFailure {
  success: false;
  error: string;
  code: ErrorCode;
}

export type ApiResponse<T> = ApiSuccess<T> | ApiFailure;
