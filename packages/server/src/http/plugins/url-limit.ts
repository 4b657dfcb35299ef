/** Refuses over-long request URLs, and URLs carrying a NUL (which PostgreSQL cannot compare), before any work is done on them. */
import { ApiError, LIMITS } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';

export function registerUrlLimit(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.url.length > LIMITS.urlBytesMax) {
      throw new ApiError(
        'VALIDATION_ERROR',
        `request URL: is ${request.url.length} characters; the limit is ${LIMITS.urlBytesMax}. Narrow the query or page with cursor.`,
        414,
      );
    }
    if (/%00/i.test(request.url)) {
      throw new ApiError('VALIDATION_ERROR', 'request URL: contains %00 (a NUL character); remove it');
    }
  });
}
