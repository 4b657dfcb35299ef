/** The success/error envelope every answer uses (contract section 2). */
import { ApiError, type ApiFailure, type ApiSuccess, type ErrorCode } from '@opstrails/core';

export const ok = <T>(data: T): ApiSuccess<T> => ({ success: true, data });

export const failure = (code: ErrorCode, error: string): ApiFailure => ({ success: false, error, code });

/** Shorthand for a 400 naming a field: `badRequest('limit', 'must be 1-1000')`. */
export function badRequest(field: string, problem: string): ApiError {
  return new ApiError('VALIDATION_ERROR', `${field}: ${problem}`);
}
