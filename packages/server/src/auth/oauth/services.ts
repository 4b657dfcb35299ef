/**
 * The OAuth pieces the routes share, one set per app (keyed by its context): the URLs, the client directory (with the
 * outbound HTTP client it fetches metadata documents through) and the access-token verifier the
 * MCP endpoint uses. Made on first use, so the MCP route and the OAuth routes get the same ones.
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../http/context.js';
import { OutboundHttpClient } from '../../outbound/http-client.js';
import { ClientDirectory } from './clients.js';
import { OAuthTokenVerifier } from './token-verifier.js';
import { OAuthUrls } from './urls.js';

export interface OAuthServices {
  urls: OAuthUrls;
  clients: ClientDirectory;
  tokens: OAuthTokenVerifier;
}

const made = new WeakMap<AppContext, OAuthServices>();

export function oauthServices(app: FastifyInstance, ctx: AppContext): OAuthServices {
  let services = made.get(ctx);
  if (!services) {
    const outbound = new OutboundHttpClient({
      allow: ctx.config.outbound.allowPrivateTargets,
      extraCa: ctx.config.outbound.extraCa,
    });
    services = {
      urls: new OAuthUrls(ctx.config, app.server),
      clients: new ClientDirectory(ctx.store, outbound, ctx.config.oauth.allowHttpClientIds),
      tokens: new OAuthTokenVerifier(ctx.store),
    };
    made.set(ctx, services);
  }
  return services;
}
