/**
 * POST /oauth/revoke (RFC 7009): an access token ends alone; a refresh token ends the connection
 * (its grant and the key `MCP — <client>`). Unknown tokens are answered 200 too, as the RFC asks,
 * so the endpoint tells nothing about which tokens exist.
 */
import type { FastifyInstance } from 'fastify';
import { OAuthError, oauthHeaders } from '../../../auth/oauth/errors.js';
import type { OAuthServices } from '../../../auth/oauth/services.js';
import type { AppContext } from '../../context.js';
import { basicClientId, fromBody } from './params.js';

export function registerRevoke(app: FastifyInstance, ctx: AppContext, oauth: OAuthServices): void {
  app.post('/oauth/revoke', async (request, reply) => {
    const params = fromBody(request.body);
    if (!params.token) throw new OAuthError('invalid_request', 'token: is required');
    const clientId = params.client_id ?? basicClientId(request.headers.authorization);
    const owner = await ctx.store.oauth.tokenClient(params.token);
    // A client may revoke only its own tokens; naming no client, the token alone is proof enough.
    if (owner && (!clientId || clientId === owner)) {
      await ctx.store.oauth.revokeToken(params.token);
      oauth.tokens.forget();
    }
    return oauthHeaders(reply).code(200).send({});
  });
}
