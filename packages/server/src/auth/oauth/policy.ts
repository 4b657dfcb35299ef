/** The OAuth server's fixed choices: lifetimes, the one scope, the clients' limits. */

/** Access tokens are short-lived (MCP authorization, "Token Theft"); refresh tokens rotate. */
export const ACCESS_TOKEN_TTL_MS = 60 * 60_000;
export const REFRESH_TOKEN_TTL_MS = 30 * 24 * 60 * 60_000;
export const CODE_TTL_MS = 60_000;
/** How long the consent page may wait for the user (sign-in included). */
export const REQUEST_TTL_MS = 15 * 60_000;

/** Everything a token allows: reading the organization's timeline through MCP. */
export const READ_SCOPE = 'opstrails:read';

/** The key an approval creates: `MCP — <client name>` (contract section 2). */
export const keyNameFor = (clientName: string) => `MCP — ${clientName}`.slice(0, 100);

export const CLIENT_NAME_MAX = 80;
export const REDIRECT_URIS_MAX = 10;
export const URI_MAX = 2_000;
export const STATE_MAX = 2_000;
