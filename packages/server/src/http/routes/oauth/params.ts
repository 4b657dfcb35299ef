/**
 * Reads OAuth request parameters: a query string (authorize), or a form-encoded or JSON body
 * (token, revoke). RFC 6749 section 3.1: a parameter sent twice is an error, not "the last wins".
 */
import { OAuthError } from '../../../auth/oauth/errors.js';

export type Params = Record<string, string | undefined>;

export function fromSearch(search: URLSearchParams): Params {
  const params: Params = {};
  for (const [name, value] of search) {
    if (params[name] !== undefined)
      throw new OAuthError('invalid_request', `${name}: sent more than once; send it once`);
    if (value !== '') params[name] = value;
  }
  return params;
}

export function fromQueryString(url: string): Params {
  const at = url.indexOf('?');
  return fromSearch(new URLSearchParams(at === -1 ? '' : url.slice(at + 1)));
}

export function fromBody(body: unknown): Params {
  if (Buffer.isBuffer(body)) {
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(body);
    } catch {
      throw new OAuthError('invalid_request', 'request body: is not valid UTF-8');
    }
    return fromSearch(new URLSearchParams(text));
  }
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new OAuthError(
      'invalid_request',
      'request body: send application/x-www-form-urlencoded parameters',
    );
  }
  const params: Params = {};
  for (const [name, value] of Object.entries(body)) {
    if (typeof value !== 'string') throw new OAuthError('invalid_request', `${name}: must be a string`);
    if (value !== '') params[name] = value;
  }
  return params;
}

/** A public client may name itself in HTTP Basic (client_secret_basic with an empty secret). */
export function basicClientId(authorization: string | undefined): string | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const id = decoded.slice(0, decoded.includes(':') ? decoded.indexOf(':') : undefined);
  try {
    return decodeURIComponent(id) || undefined;
  } catch {
    return undefined;
  }
}
