/**
 * The URLs the OAuth documents name, all from OPSTRAILS_PUBLIC_URL: the issuer is the server's
 * public URL, the protected resource is its MCP endpoint. A public URL derived from port 0 gets
 * the port the server actually listens on.
 */
import type { Server } from 'node:http';
import type { Config } from '../../config.js';
import { MCP_PATH } from '../../http/routes/mcp.js';

export class OAuthUrls {
  constructor(
    private readonly config: Config,
    private readonly server: Server,
  ) {}

  get base(): string {
    const url = new URL(this.config.publicUrl);
    if (url.port === '0') {
      const address = this.server.address();
      if (typeof address === 'object' && address) url.port = String(address.port);
    }
    return url.toString().replace(/\/+$/, '');
  }

  get issuer(): string {
    return this.base;
  }

  /** The MCP endpoint: the protected resource, and the `resource` every token is bound to. */
  get resource(): string {
    return `${this.base}${MCP_PATH}`;
  }

  get resourceMetadata(): string {
    return `${this.base}/.well-known/oauth-protected-resource${MCP_PATH}`;
  }

  endpoint(path: '/oauth/authorize' | '/oauth/token' | '/oauth/register' | '/oauth/revoke'): string {
    return `${this.base}${path}`;
  }

  consentPage(requestId: string): string {
    return `${this.base}/oauth/consent?request=${encodeURIComponent(requestId)}`;
  }

  /**
   * Whether a client's `resource` names this MCP endpoint: compared after URL parsing (scheme and
   * host case) and without a trailing slash, as the MCP specification asks servers to accept.
   */
  isOurResource(value: string): boolean {
    return canonicalResource(value) === canonicalResource(this.resource);
  }
}

export function canonicalResource(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.hash || value.includes('#')) return null;
  return `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}${url.search}`;
}
