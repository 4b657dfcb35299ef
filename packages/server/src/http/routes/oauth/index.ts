/**
 * OAuth for remote MCP clients (extended API section 7). The protocol endpoints (/.well-known/…,
 * /oauth/…) answer in OAuth's formats through their own error handler; the consent page's API
 * (/api/v1/oauth/requests/…) is a console API like any other, in the envelope.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OAuthError, sendOAuthError } from '../../../auth/oauth/errors.js';
import { oauthServices } from '../../../auth/oauth/services.js';
import type { AppContext } from '../../context.js';
import { registerAuthorizationServerMetadata } from './authorization-server.js';
import { registerAuthorize } from './authorize.js';
import { registerConsentApprove } from './consent-approve.js';
import { registerConsentDeny } from './consent-deny.js';
import { registerConsentGet } from './consent-get.js';
import { registerProtectedResource } from './protected-resource.js';
import { registerRegister } from './register.js';
import { registerRevoke } from './revoke.js';
import { registerToken } from './token.js';

const EXPIRED_CLEANUP_MS = 60 * 60_000;

export function registerOAuthRoutes(app: FastifyInstance, ctx: AppContext): void {
  const oauth = oauthServices(app, ctx);
  app.register(async (scope) => {
    scope.setErrorHandler((err: FastifyError, request, reply) => {
      if (err instanceof OAuthError) return sendOAuthError(reply, err);
      // Body parsing (bad JSON, a body too large) refuses before the handler, as an ApiError.
      if (err instanceof ApiError && err.status < 500) {
        return sendOAuthError(reply, new OAuthError('invalid_request', err.message, err.status));
      }
      if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
        return sendOAuthError(reply, new OAuthError('invalid_request', err.message, err.statusCode));
      }
      request.log.error({ err }, 'OAuth endpoint failed');
      return sendOAuthError(reply, new OAuthError('server_error', `internal error (request ${request.id})`));
    });
    // Browser-based clients (the MCP Inspector) call these across origins; no cookies are involved.
    const preflight = async (_request: FastifyRequest, reply: FastifyReply) =>
      reply
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'GET, POST, OPTIONS')
        .header('access-control-allow-headers', 'authorization, content-type, mcp-protocol-version')
        .header('access-control-max-age', '86400')
        .code(204)
        .send();
    scope.options('/oauth/:endpoint', preflight);
    scope.options('/.well-known/*', preflight);
    registerProtectedResource(scope, oauth);
    registerAuthorizationServerMetadata(scope, oauth);
    registerAuthorize(scope, ctx, oauth);
    registerToken(scope, ctx, oauth);
    registerRegister(scope, ctx);
    registerRevoke(scope, ctx, oauth);
  });
  registerConsentGet(app, ctx);
  registerConsentApprove(app, ctx, oauth);
  registerConsentDeny(app, ctx, oauth);

  const cleanup = setInterval(() => {
    ctx.store.oauth.deleteExpired().catch((err) => app.log.warn({ err }, 'OAuth cleanup failed'));
  }, EXPIRED_CLEANUP_MS);
  cleanup.unref();
  app.addHook('onClose', async () => clearInterval(cleanup));
}
