/** Table types of the OAuth tables (migration 010). Times are UTC epoch milliseconds. */

export interface OAuthClientsTable {
  /** `otc_…` for a registered client; the metadata document's URL otherwise. */
  id: string;
  /** `registered` (RFC 7591) or `metadata-document`. */
  kind: string;
  name: string;
  /** JSON array of redirect URIs, matched exactly (loopback ones with any port). */
  redirect_uris: string;
  client_uri: string | null;
  created_at: number;
  /** Metadata documents: when the cached copy is fetched again; null for registered clients. */
  refresh_at: number | null;
}

export interface OAuthRequestsTable {
  /** SHA-256 of the request id the consent page carries. */
  id_hash: string;
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  resource: string;
  scope: string;
  state: string | null;
  expires_at: number;
}

export interface OAuthGrantsTable {
  id: string;
  client_id: string;
  user_id: string;
  org_id: string;
  /** The READ_ONLY key `MCP — <client>` the grant's tokens act as. */
  key_id: string;
  resource: string;
  scope: string;
  created_at: number;
  revoked_at: number | null;
}

export interface OAuthCodesTable {
  hash: string;
  grant_id: string;
  redirect_uri: string;
  code_challenge: string;
  expires_at: number;
  used_at: number | null;
}

export interface OAuthTokensTable {
  hash: string;
  grant_id: string;
  kind: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  revoked_at: number | null;
}
