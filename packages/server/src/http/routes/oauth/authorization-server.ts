/**
 * GET /.well-known/oauth-authorization-server: the authorization server metadata (RFC 8414).
 * PKCE S256 only, public clients only, Client ID Metadata Documents and dynamic registration,
 * `iss` in every authorization response (RFC 9207).
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { oauthHeaders } from '../../../auth/oauth/errors.js';
import { READ_SCOPE } from '../../../auth/oauth/policy.js';
import type { OAuthServices } from '../../../auth/oauth/services.js';

export function registerAuthorizationServerMetadata(app: FastifyInstance, oauth: OAuthServices): void {
  app.get('/.well-known/oauth-authorization-server', async (_request, reply: FastifyReply) =>
    oauthHeaders(reply)
      .header('cache-control', 'public, max-age=300')
      .send({
        issuer: oauth.urls.issuer,
        authorization_endpoint: oauth.urls.endpoint('/oauth/authorize'),
        token_endpoint: oauth.urls.endpoint('/oauth/token'),
        registration_endpoint: oauth.urls.endpoint('/oauth/register'),
        revocation_endpoint: oauth.urls.endpoint('/oauth/revoke'),
        scopes_supported: [READ_SCOPE],
        response_types_supported: ['code'],
        response_modes_supported: ['query'],
        grant_types_supported: ['authorization_code', 'refresh_token'],
        token_endpoint_auth_methods_supported: ['none'],
        revocation_endpoint_auth_methods_supported: ['none'],
        code_challenge_methods_supported: ['S256'],
        client_id_metadata_document_supported: true,
        authorization_response_iss_parameter_supported: true,
      }),
  );
}
