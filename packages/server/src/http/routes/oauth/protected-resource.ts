/**
 * GET /.well-known/oauth-protected-resource[/api/mcp/mcp]: the protected resource metadata
 * (RFC 9728) of the MCP endpoint. The path-suffixed form is the one the 401 names; the bare form
 * is where clients look when they did not get it.
 */
import type { FastifyInstance, FastifyReply } from 'fastify';
import { oauthHeaders } from '../../../auth/oauth/errors.js';
import { READ_SCOPE } from '../../../auth/oauth/policy.js';
import type { OAuthServices } from '../../../auth/oauth/services.js';
import { MCP_PATH } from '../mcp.js';

export function registerProtectedResource(app: FastifyInstance, oauth: OAuthServices): void {
  const handler = async (_request: unknown, reply: FastifyReply) =>
    oauthHeaders(reply)
      .header('cache-control', 'public, max-age=300')
      .send({
        resource: oauth.urls.resource,
        authorization_servers: [oauth.urls.issuer],
        scopes_supported: [READ_SCOPE],
        bearer_methods_supported: ['header'],
        resource_name: 'OpsTrails timeline (read-only)',
        resource_documentation: 'https://github.com/opstrails/opstrails/blob/main/docs/mcp.md',
      });
  app.get('/.well-known/oauth-protected-resource', handler);
  app.get(`/.well-known/oauth-protected-resource${MCP_PATH}`, handler);
}
