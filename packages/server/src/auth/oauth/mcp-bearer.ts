/**
 * OAuth access tokens on the MCP endpoint, beside API keys: a token acts as its grant's READ_ONLY
 * key (same organization, same quota), only while that key lives, and only for the resource it
 * was issued for (RFC 8707: a token for another server is refused, never passed on).
 */
import { ApiError } from '@opstrails/core';
import type { KeyGrant } from '../../store/api-keys.js';
import { ACCESS_TOKEN_PREFIX, REFRESH_TOKEN_PREFIX } from '../../store/oauth.js';
import type { OAuthServices } from './services.js';

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** The grant of an OAuth access token in `authorization`; null when it carries no OAuth token. */
export async function oauthBearerGrant(
  authorization: string | undefined,
  oauth: OAuthServices,
): Promise<KeyGrant | null> {
  const token = BEARER.exec(authorization ?? '')?.[1];
  if (!token) return null;
  if (token.startsWith(REFRESH_TOKEN_PREFIX)) {
    throw new ApiError(
      'UNAUTHORIZED',
      'Authorization: this is a refresh token; send the access token (a refresh token only goes to /oauth/token)',
    );
  }
  if (!token.startsWith(ACCESS_TOKEN_PREFIX)) return null;
  const grant = await oauth.tokens.verify(token);
  if (!grant) {
    throw new ApiError(
      'UNAUTHORIZED',
      'Authorization: the access token is unknown, expired or revoked; refresh it, or connect again',
    );
  }
  if (!oauth.urls.isOurResource(grant.resource)) {
    throw new ApiError(
      'UNAUTHORIZED',
      `Authorization: this token was issued for ${grant.resource}, not for ${oauth.urls.resource}; connect again`,
    );
  }
  return { keyId: grant.keyId, orgId: grant.orgId, scope: 'READ_ONLY' };
}
