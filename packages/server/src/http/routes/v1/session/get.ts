/** GET /api/v1/session: who is signed in, in which organization, with which role, and the CSRF token. */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { describeSession } from './start.js';

export function registerGetSession(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/session', async (request) => {
    const session = await app.resolveSession(request);
    if (!session) throw new ApiError('UNAUTHORIZED', 'session: not signed in or expired; sign in again');
    return ok(await describeSession(ctx, session));
  });
}
