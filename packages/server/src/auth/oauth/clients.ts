/**
 * Finds the OAuth client behind a `client_id`. Two kinds:
 *
 * - Client ID Metadata Documents (the current MCP revision's preferred way): the `client_id` is an
 *   https URL with a path; its JSON document is fetched through the outbound HTTP client (so the
 *   address policy applies), validated (its `client_id` must be that URL exactly, it needs
 *   `client_name` and `redirect_uris`, and a public client uses no secret) and cached as the
 *   document's Cache-Control allows (1 minute to 1 day; 1 hour when it says nothing).
 * - Dynamically registered clients (RFC 7591), `otc_…`, kept in the store.
 */
import { OutboundError, type OutboundHttpClient } from '../../outbound/http-client.js';
import type { OAuthClient } from '../../store/oauth.js';
import type { Store } from '../../store/store.js';
import { OAuthError } from './errors.js';
import { CLIENT_NAME_MAX, REDIRECT_URIS_MAX, URI_MAX } from './policy.js';
import { redirectUriProblem } from './redirect-uris.js';

/** The draft's advice: a metadata document is small; refuse anything near a denial of service. */
const DOCUMENT_MAX_BYTES = 5 * 1024;
const DOCUMENT_TIMEOUT_MS = 5_000;
const CACHE_DEFAULT_MS = 60 * 60_000;
const CACHE_MIN_MS = 60_000;
const CACHE_MAX_MS = 24 * 60 * 60_000;

export class ClientDirectory {
  constructor(
    private readonly store: Store,
    private readonly outbound: OutboundHttpClient,
    private readonly allowHttpClientIds: boolean,
  ) {}

  /** Whether this `client_id` names a metadata document (and so is fetched, not looked up). */
  isDocumentUrl(clientId: string): boolean {
    let url: URL;
    try {
      url = new URL(clientId);
    } catch {
      return false;
    }
    const scheme = url.protocol === 'https:' || (this.allowHttpClientIds && url.protocol === 'http:');
    return scheme && url.pathname !== '/' && !url.hash && !url.username && !url.password;
  }

  /** The client, fetching or refreshing its metadata document when needed; OAuthError otherwise. */
  async find(clientId: string, now = Date.now()): Promise<OAuthClient> {
    if (!clientId) throw new OAuthError('invalid_request', 'client_id: is required');
    if (clientId.length > URI_MAX) throw new OAuthError('invalid_client', 'client_id: is too long');
    const known = await this.store.oauth.client(clientId);
    if (known && (known.kind === 'registered' || (known.refreshAt ?? 0) > now)) return known;
    if (!this.isDocumentUrl(clientId)) {
      if (clientId.startsWith('http:') && !this.allowHttpClientIds) {
        throw new OAuthError(
          'invalid_client',
          `client_id: a metadata document must be served over https (for local development the operator can set OPSTRAILS_OAUTH_ALLOW_HTTP_CLIENT_IDS=1)`,
        );
      }
      throw new OAuthError(
        'invalid_client',
        'client_id: unknown; register the client (POST /oauth/register) or use the https URL of its metadata document',
      );
    }
    const document = await this.fetchDocument(clientId, now);
    await this.store.oauth.saveDocumentClient(document, now);
    return { ...document, kind: 'metadata-document' };
  }

  private async fetchDocument(url: string, now: number) {
    let response: Awaited<ReturnType<OutboundHttpClient['request']>>;
    try {
      response = await this.outbound.request(url, {
        headers: { accept: 'application/json' },
        timeoutMs: DOCUMENT_TIMEOUT_MS,
        maxBytes: DOCUMENT_MAX_BYTES,
        // The document's URL is the client's identity: it must answer itself, not send elsewhere.
        maxRedirects: 0,
      });
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      throw new OAuthError(
        'invalid_client',
        `client_id: the metadata document could not be fetched: ${error.message}`,
      );
    }
    if (response.status !== 200) {
      throw new OAuthError(
        'invalid_client',
        `client_id: the metadata document answered HTTP ${response.status}; it must answer 200 with JSON`,
      );
    }
    let doc: unknown;
    try {
      doc = JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new OAuthError('invalid_client', 'client_id: the metadata document is not JSON');
    }
    const metadata = validateDocument(url, doc);
    return { id: url, ...metadata, refreshAt: now + cacheLifetime(response.headers['cache-control']) };
  }
}

function validateDocument(url: string, doc: unknown) {
  const bad = (problem: string) =>
    new OAuthError('invalid_client', `client_id: the metadata document's ${problem}`);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw bad('body must be a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.client_id !== url) throw bad(`client_id must be exactly its own URL, "${url}"`);
  const metadata = clientMetadata(d, bad);
  const method = d.token_endpoint_auth_method;
  if (method !== undefined && method !== 'none') {
    throw bad(
      `token_endpoint_auth_method "${String(method)}" is not supported; this server takes public clients ("none") with PKCE`,
    );
  }
  if (d.client_secret !== undefined) throw bad('client_secret is not allowed: a metadata document is public');
  return metadata;
}

/** The fields this server keeps of client metadata (RFC 7591 names), validated; shared with registration. */
export function clientMetadata(
  d: Record<string, unknown>,
  bad: (problem: string) => OAuthError,
): { name: string; redirectUris: string[]; clientUri: string | null } {
  const name = typeof d.client_name === 'string' ? d.client_name.trim() : '';
  if (!name) throw bad('client_name is required: the consent page shows it');
  if ([...name].some((c) => c < ' ')) throw bad('client_name has control characters');
  if (!Array.isArray(d.redirect_uris) || d.redirect_uris.length === 0)
    throw bad('redirect_uris must be a non-empty array of URLs');
  if (d.redirect_uris.length > REDIRECT_URIS_MAX)
    throw bad(`redirect_uris has more than ${REDIRECT_URIS_MAX} entries`);
  for (const uri of d.redirect_uris) {
    const problem = redirectUriProblem(uri);
    if (problem) throw bad(`redirect_uris: ${problem}`);
  }
  let clientUri: string | null = null;
  if (typeof d.client_uri === 'string' && redirectUriProblem(d.client_uri) === null) clientUri = d.client_uri;
  return {
    name: [...name].slice(0, CLIENT_NAME_MAX).join(''),
    redirectUris: d.redirect_uris as string[],
    clientUri,
  };
}

/** How long a fetched document is trusted, from its Cache-Control. */
export function cacheLifetime(header: string | string[] | undefined): number {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  if (/(^|,)\s*(no-store|no-cache)\s*(,|$)/i.test(value)) return 0;
  const maxAge = /max-age\s*=\s*(\d+)/i.exec(value)?.[1];
  if (maxAge === undefined) return CACHE_DEFAULT_MS;
  return Math.min(CACHE_MAX_MS, Math.max(CACHE_MIN_MS, Number(maxAge) * 1000));
}
