import { describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  createErrorFromResponse,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  OpsTrailsError,
  QuotaExceededError,
  TimeoutError,
  ValidationError,
} from './errors.js';

describe('createErrorFromResponse', () => {
  it('chooses the class from the body code, as the hosted SDK does', () => {
    const cases = [
      ['UNAUTHORIZED', 401, AuthenticationError],
      ['FORBIDDEN', 403, ForbiddenError],
      ['VALIDATION_ERROR', 400, ValidationError],
      ['QUOTA_EXCEEDED', 429, QuotaExceededError],
      ['NOT_FOUND', 404, NotFoundError],
    ] as const;
    for (const [code, status, ErrorClass] of cases) {
      const error = createErrorFromResponse({ success: false, error: `${code} message`, code }, status);
      expect(error).toBeInstanceOf(ErrorClass);
      expect(error).toMatchObject({ code, status, statusCode: status, message: `${code} message` });
    }
  });

  it('keeps the real status when a known code comes with another one (415 with VALIDATION_ERROR)', () => {
    const error = createErrorFromResponse(
      { error: 'Content-Type: text/plain is not accepted', code: 'VALIDATION_ERROR' },
      415,
    );
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.status).toBe(415);
  });

  it('falls back to the status when the code names no class', () => {
    const rateLimited = createErrorFromResponse({ error: 'slow down', code: 'RATE_LIMITED' }, 429, 2_000);
    expect(rateLimited).toBeInstanceOf(QuotaExceededError);
    expect(rateLimited).toMatchObject({ code: 'RATE_LIMITED', status: 429, retryAfter: 2 });
    const proxyPage = createErrorFromResponse(undefined, 401);
    expect(proxyPage).toBeInstanceOf(AuthenticationError);
    expect(proxyPage).toMatchObject({ code: 'UNAUTHORIZED', message: 'HTTP 401' });
  });

  it('answers OpsTrailsError with the code and status for anything else', () => {
    const teapot = createErrorFromResponse({ success: false, error: 'Teapot', code: 'IM_A_TEAPOT' }, 418);
    expect(teapot.constructor).toBe(OpsTrailsError);
    expect(teapot).toMatchObject({ code: 'IM_A_TEAPOT', status: 418 });
    expect(createErrorFromResponse(undefined, 502)).toMatchObject({ code: 'INTERNAL_ERROR', status: 502 });
    expect(createErrorFromResponse(undefined, 413)).toMatchObject({ code: 'HTTP_413', status: 413 });
  });

  it('puts the reset time of a 429 on the error', () => {
    const before = Date.now();
    const error = createErrorFromResponse(
      { error: 'daily event limit reached', code: 'QUOTA_EXCEEDED' },
      429,
      3_600_000,
    );
    expect(error).toBeInstanceOf(QuotaExceededError);
    const { retryAfter, resetAt } = error as QuotaExceededError;
    expect(retryAfter).toBe(3600);
    expect(resetAt?.getTime()).toBeGreaterThanOrEqual(before + 3_600_000);
    expect(resetAt?.getTime()).toBeLessThanOrEqual(Date.now() + 3_600_000);
  });
});

describe('error classes', () => {
  it('carry status 0 when no answer came, and the hosted constructors work', () => {
    expect(new NetworkError('refused')).toMatchObject({ status: 0, statusCode: 0, code: 'NETWORK_ERROR' });
    expect(new TimeoutError('slow')).toMatchObject({ status: 0, code: 'TIMEOUT', name: 'TimeoutError' });
    expect(new OpsTrailsError('custom', 'CUSTOM_CODE', 500)).toMatchObject({
      status: 500,
      code: 'CUSTOM_CODE',
    });
    expect(new ValidationError('type: is required')).toMatchObject({ status: 400, code: 'VALIDATION_ERROR' });
    expect(new QuotaExceededError('limit')).toMatchObject({ status: 429, code: 'QUOTA_EXCEEDED' });
  });
});
