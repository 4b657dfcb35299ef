/**
 * POST /oauth/token: exchanges an authorization code (with its PKCE verifier) or a refresh token
 * for a new access token and a new refresh token. Codes work once; a code presented again
 * revokes what was issued with it. Refresh tokens rotate: each works once, and one presented
 * again (a replay: the client or a thief holds a copy) revokes the grant and its key.
 */
import type { FastifyInstance } from 'fastify';
import { OAuthError, oauthHeaders } from '../../../auth/oauth/errors.js';
import { verifierMatches } from '../../../auth/oauth/pkce.js';
import { ACCESS_TOKEN_TTL_MS, REFRESH_TOKEN_TTL_MS } from '../../../auth/oauth/policy.js';
import type { OAuthServices } from '../../../auth/oauth/services.js';
import type { GrantRecord } from '../../../store/oauth.js';
import type { AppContext } from '../../context.js';
import { basicClientId, fromBody, type Params } from './params.js';

const TTL = { accessMs: ACCESS_TOKEN_TTL_MS, refreshMs: REFRESH_TOKEN_TTL_MS };

function clientIdOf(params: Params, authorization: string | undefined): string {
  const id = params.client_id ?? basicClientId(authorization);
  if (!id) throw new OAuthError('invalid_request', 'client_id: is required (public clients name themselves)');
  return id;
}

function checkGrant(grant: GrantRecord, clientId: string, params: Params, oauth: OAuthServices): void {
  if (grant.clientId !== clientId) {
    throw new OAuthError('invalid_grant', 'client_id: this grant was issued to another client');
  }
  if (params.resource && !oauth.urls.isOurResource(params.resource)) {
    throw new OAuthError(
      'invalid_target',
      `resource: "${params.resource}" is not served here; use ${oauth.urls.resource}`,
    );
  }
  if (!oauth.urls.isOurResource(grant.resource)) {
    throw new OAuthError(
      'invalid_target',
      `this grant was made for ${grant.resource}; authorize again for ${oauth.urls.resource}`,
    );
  }
}

export function registerToken(app: FastifyInstance, ctx: AppContext, oauth: OAuthServices): void {
  const redeemCode = async (params: Params, clientId: string): Promise<GrantRecord> => {
    if (!params.code) throw new OAuthError('invalid_request', 'code: is required');
    const redemption = await ctx.store.oauth.redeemCode(params.code);
    if (redemption.status === 'reused') {
      await ctx.store.oauth.revokeGrant(redemption.grantId);
      oauth.tokens.forget();
      throw new OAuthError(
        'invalid_grant',
        'code: already used; what was issued with it is revoked too. Authorize again',
      );
    }
    if (redemption.status !== 'ok') {
      throw new OAuthError(
        'invalid_grant',
        'code: unknown or expired (codes last a minute); authorize again',
      );
    }
    checkGrant(redemption.grant, clientId, params, oauth);
    if (params.redirect_uri !== redemption.redirectUri) {
      throw new OAuthError('invalid_grant', 'redirect_uri: must be the one sent to /oauth/authorize');
    }
    if (!params.code_verifier) throw new OAuthError('invalid_request', 'code_verifier: is required (PKCE)');
    if (!verifierMatches(params.code_verifier, redemption.codeChallenge)) {
      throw new OAuthError('invalid_grant', 'code_verifier: does not match the code_challenge (S256)');
    }
    return redemption.grant;
  };

  const rotate = async (params: Params, clientId: string): Promise<GrantRecord> => {
    if (!params.refresh_token) throw new OAuthError('invalid_request', 'refresh_token: is required');
    const rotation = await ctx.store.oauth.rotateRefresh(params.refresh_token);
    if (rotation.status === 'replayed') {
      await ctx.store.oauth.revokeGrant(rotation.grantId);
      oauth.tokens.forget();
      throw new OAuthError(
        'invalid_grant',
        'refresh_token: already used once, so a copy may be in other hands; this connection is revoked. Connect again',
      );
    }
    if (rotation.status !== 'ok') {
      throw new OAuthError('invalid_grant', 'refresh_token: unknown, expired or revoked; authorize again');
    }
    checkGrant(rotation.grant, clientId, params, oauth);
    return rotation.grant;
  };

  app.post('/oauth/token', async (request, reply) => {
    const params = fromBody(request.body);
    const clientId = clientIdOf(params, request.headers.authorization);
    let grant: GrantRecord;
    if (params.grant_type === 'authorization_code') grant = await redeemCode(params, clientId);
    else if (params.grant_type === 'refresh_token') grant = await rotate(params, clientId);
    else {
      throw new OAuthError(
        'unsupported_grant_type',
        `grant_type: ${params.grant_type ? `"${params.grant_type}" is not supported` : 'is required'}; use authorization_code or refresh_token`,
      );
    }
    const tokens = await ctx.store.oauth.issueTokens(grant.id, TTL);
    return oauthHeaders(reply).send({
      access_token: tokens.accessToken,
      token_type: 'Bearer',
      expires_in: Math.round(TTL.accessMs / 1000),
      refresh_token: tokens.refreshToken,
      scope: grant.scope,
    });
  });
}
