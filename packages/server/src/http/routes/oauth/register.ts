/**
 * POST /oauth/register: dynamic client registration (RFC 7591), for clients that predate Client ID
 * Metadata Documents. Public clients only (no secret: PKCE protects the code); the redirect URIs
 * are https or loopback http, matched exactly later (loopback on any port).
 */
import type { FastifyInstance } from 'fastify';
import { clientMetadata } from '../../../auth/oauth/clients.js';
import { OAuthError, oauthHeaders } from '../../../auth/oauth/errors.js';
import type { AppContext } from '../../context.js';

const GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);

export function registerRegister(app: FastifyInstance, ctx: AppContext): void {
  app.post('/oauth/register', async (request, reply) => {
    const body = request.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body) || Buffer.isBuffer(body)) {
      throw new OAuthError(
        'invalid_client_metadata',
        'request body: send the client metadata as a JSON object',
      );
    }
    const d = body as Record<string, unknown>;
    const metadata = clientMetadata(
      d,
      (problem) =>
        new OAuthError(
          problem.startsWith('redirect_uris') ? 'invalid_redirect_uri' : 'invalid_client_metadata',
          problem,
        ),
    );
    const grantTypes = d.grant_types ?? ['authorization_code', 'refresh_token'];
    if (!Array.isArray(grantTypes) || grantTypes.some((g) => !GRANT_TYPES.has(g as string))) {
      throw new OAuthError(
        'invalid_client_metadata',
        'grant_types: only authorization_code and refresh_token are supported',
      );
    }
    if (d.response_types !== undefined && JSON.stringify(d.response_types) !== '["code"]') {
      throw new OAuthError('invalid_client_metadata', 'response_types: only ["code"] is supported');
    }
    const now = Date.now();
    const clientId = await ctx.store.oauth.register(metadata, now);
    return oauthHeaders(reply)
      .code(201)
      .send({
        client_id: clientId,
        client_id_issued_at: Math.floor(now / 1000),
        client_name: metadata.name,
        redirect_uris: metadata.redirectUris,
        ...(metadata.clientUri ? { client_uri: metadata.clientUri } : {}),
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        // Whatever was asked (client_secret_basic…), this server issues no secrets.
        token_endpoint_auth_method: 'none',
      });
  });
}
