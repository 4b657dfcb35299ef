/** POST /api/v1/oauth/requests/:id/deny: the user refuses; the client hears `access_denied`. */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import type { OAuthServices } from '../../../auth/oauth/services.js';
import type { AppContext } from '../../context.js';
import { ok } from '../../envelope.js';
import { requireRole } from '../../plugins/session.js';
import { REQUEST_GONE } from './consent-get.js';
import { authorizationResponse } from './redirect.js';

export function registerConsentDeny(app: FastifyInstance, ctx: AppContext, oauth: OAuthServices): void {
  app.post<{ Params: { id: string } }>(
    '/api/v1/oauth/requests/:id/deny',
    { preHandler: requireRole('MEMBER') },
    async (request) => {
      const pending = await ctx.store.oauth.deny(request.params.id);
      if (!pending) throw new ApiError('NOT_FOUND', REQUEST_GONE);
      const redirectTo = authorizationResponse(pending.redirectUri, oauth.urls.issuer, pending.state, {
        error: 'access_denied',
        error_description: 'the user refused the connection',
      });
      return ok({ redirectTo });
    },
  );
}
