/**
 * OAuth's own error format (RFC 6749 section 5.2, RFC 7591 section 3.2.2): `{"error": "<code>",
 * "error_description": "..."}`. The OAuth endpoints answer in it, not in the API envelope, because
 * MCP clients parse it; descriptions still name the parameter and the fix.
 */
import type { FastifyReply } from 'fastify';

export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'invalid_grant'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'unsupported_response_type'
  | 'invalid_scope'
  | 'invalid_target'
  | 'access_denied'
  | 'invalid_redirect_uri'
  | 'invalid_client_metadata'
  | 'server_error';

export class OAuthError extends Error {
  override name = 'OAuthError';
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status = code === 'invalid_client' ? 401 : code === 'server_error' ? 500 : 400,
  ) {
    super(description);
  }
}

/** Headers every OAuth answer carries: never cached, readable from browser-based clients. */
export function oauthHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'no-store')
    .header('pragma', 'no-cache')
    .header('access-control-allow-origin', '*');
}

export function sendOAuthError(reply: FastifyReply, error: OAuthError): FastifyReply {
  return oauthHeaders(reply)
    .code(error.status)
    .send({ error: error.code, error_description: error.description });
}
