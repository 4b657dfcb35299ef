/** Parses a request body with a zod schema; a failure is a 400 naming each field and its rule. */
import { ApiError } from '@opstrails/core';
import type { z } from 'zod';

const kindOf = (value: unknown) =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;

/**
 * Zod's defaults ("Invalid input: expected string, received undefined") say neither what to send
 * nor that a field is missing; these name the rule and the fix. A schema's own messages still win.
 */
export const friendlyZodMessages: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    return issue.input === undefined
      ? 'is required'
      : `must be a ${issue.expected}, not ${kindOf(issue.input)}`;
  }
  if (issue.code === 'too_big' && issue.origin === 'string')
    return `must be at most ${issue.maximum} characters; shorten it`;
  if (issue.code === 'too_small' && issue.origin === 'string')
    return `must be at least ${issue.minimum} characters`;
  return undefined;
};

export function parseBody<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body) || Array.isArray(body)) {
    throw new ApiError(
      'VALIDATION_ERROR',
      'request body: send a JSON object with Content-Type: application/json',
    );
  }
  const parsed = schema.safeParse(body, { error: friendlyZodMessages });
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'request body'}: ${issue.message}`)
    .join('; ');
  throw new ApiError('VALIDATION_ERROR', message);
}
