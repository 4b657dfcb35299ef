/** DELETE /api/v1/session: sign out. Ends the session server-side and clears the cookie. */
import type { FastifyInstance } from 'fastify';
import { clearedSessionCookie, isHttps } from '../../../../auth/session-cookie.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { checkCsrf } from '../../../plugins/session.js';

export function registerDeleteSession(app: FastifyInstance, ctx: AppContext): void {
  app.delete('/api/v1/session', async (request, reply) => {
    const session = await app.resolveSession(request);
    if (session) {
      checkCsrf(request, session);
      await ctx.store.sessions.delete(session.id);
    }
    reply.header('set-cookie', clearedSessionCookie(isHttps(request, ctx.config)));
    return ok({ signedOut: true });
  });
}
