/** Parses a request body with a zod schema; a failure is a 400 naming each field and its rule. */
import { ApiError } from '@opstrails/core';
import type { z } from 'zod';

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || Array.isArray(body)) {
    throw new ApiError(
      'VALIDATION_ERROR',
      'request body: send a JSON object with Content-Type: application/json',
    );
  }
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'request body'}: ${issue.message}`)
    .join('; ');
  throw new ApiError('VALIDATION_ERROR', message);
}
