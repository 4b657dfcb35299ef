/**
 * GET /oauth/authorize: the start of the authorization code flow. The client and its redirect URI
 * are checked first; a failure there cannot be sent back to the client (the redirect URI is not
 * trusted), so it is answered here as a 400. Every later problem goes back to the client as an
 * OAuth error on its redirect URI. A valid request waits for the user on the console's consent
 * page (`/oauth/consent`).
 */
import type { FastifyInstance } from 'fastify';
import { OAuthError, sendOAuthError } from '../../../auth/oauth/errors.js';
import { isPkceValue } from '../../../auth/oauth/pkce.js';
import { READ_SCOPE, REQUEST_TTL_MS, STATE_MAX } from '../../../auth/oauth/policy.js';
import { matchRedirectUri } from '../../../auth/oauth/redirect-uris.js';
import type { OAuthServices } from '../../../auth/oauth/services.js';
import type { AppContext } from '../../context.js';
import { fromQueryString, type Params } from './params.js';
import { authorizationResponse } from './redirect.js';

/** Checks what can only be refused back to the client; returns the pending request's fields. */
function checkRequest(params: Params, oauth: OAuthServices) {
  if (params.response_type !== 'code') {
    throw new OAuthError(
      'unsupported_response_type',
      'response_type: must be "code" (the authorization code flow)',
    );
  }
  if (!params.code_challenge) {
    throw new OAuthError('invalid_request', 'code_challenge: is required; this server needs PKCE with S256');
  }
  if (params.code_challenge_method !== 'S256') {
    throw new OAuthError(
      'invalid_request',
      `code_challenge_method: must be S256${params.code_challenge_method ? `, not ${params.code_challenge_method}` : ' (the default, plain, is not accepted)'}`,
    );
  }
  if (!isPkceValue(params.code_challenge)) {
    throw new OAuthError(
      'invalid_request',
      'code_challenge: must be the base64url SHA-256 of the code verifier (43 characters)',
    );
  }
  if (!params.resource) {
    throw new OAuthError('invalid_request', `resource: is required (RFC 8707); use ${oauth.urls.resource}`);
  }
  if (!oauth.urls.isOurResource(params.resource)) {
    throw new OAuthError(
      'invalid_target',
      `resource: "${params.resource}" is not served here; use ${oauth.urls.resource}`,
    );
  }
  if ((params.state?.length ?? 0) > STATE_MAX) {
    throw new OAuthError('invalid_request', `state: must be at most ${STATE_MAX} characters`);
  }
  return { codeChallenge: params.code_challenge, resource: oauth.urls.resource, state: params.state ?? null };
}

export function registerAuthorize(app: FastifyInstance, ctx: AppContext, oauth: OAuthServices): void {
  app.get('/oauth/authorize', async (request, reply) => {
    let params: Params;
    try {
      params = fromQueryString(request.url);
    } catch (error) {
      if (error instanceof OAuthError) return sendOAuthError(reply, error);
      throw error;
    }
    let client: Awaited<ReturnType<typeof oauth.clients.find>>;
    try {
      client = await oauth.clients.find(params.client_id ?? '');
    } catch (error) {
      if (error instanceof OAuthError) return sendOAuthError(reply, error);
      throw error;
    }
    const redirectUri = params.redirect_uri;
    if (!redirectUri || !matchRedirectUri(client.redirectUris, redirectUri)) {
      return sendOAuthError(
        reply,
        new OAuthError(
          'invalid_request',
          redirectUri
            ? `redirect_uri: "${redirectUri}" is not one of the client's registered redirect URIs`
            : 'redirect_uri: is required',
        ),
      );
    }
    let checked: ReturnType<typeof checkRequest>;
    try {
      checked = checkRequest(params, oauth);
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      return reply.redirect(
        authorizationResponse(redirectUri, oauth.urls.issuer, params.state, {
          error: error.code,
          error_description: error.description,
        }),
      );
    }
    const requestId = await ctx.store.oauth.createRequest({
      clientId: client.id,
      redirectUri,
      codeChallenge: checked.codeChallenge,
      resource: checked.resource,
      scope: READ_SCOPE,
      state: checked.state,
      expiresAt: Date.now() + REQUEST_TTL_MS,
    });
    return reply.header('cache-control', 'no-store').redirect(oauth.urls.consentPage(requestId));
  });
}
