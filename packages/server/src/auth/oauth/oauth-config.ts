/**
 * OAuth settings for remote MCP clients (extended API section 7). Parsed by loadConfig
 * (config.ts); docs/configuration.md lists them.
 */
import { ConfigError } from '../../config.js';

export interface OAuthConfig {
  /**
   * OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS=1: a client metadata document may be served over
   * plain http (local development); the outbound address policy still applies to it.
   */
  allowHttpClientIds: boolean;
}

export function parseOAuthConfig(env: NodeJS.ProcessEnv): OAuthConfig {
  const raw = env.OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS ?? '';
  if (!['', '0', '1', 'true', 'false'].includes(raw.toLowerCase())) {
    throw new ConfigError(
      `OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS="${raw}" is not a switch: use 1 (allow http client metadata documents, local development only) or 0`,
    );
  }
  return { allowHttpClientIds: raw === '1' || raw.toLowerCase() === 'true' };
}
