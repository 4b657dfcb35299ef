/**
 * Redirect URIs: what a client may register, and how a requested one is matched. Per the MCP
 * specification every redirect URI is https or loopback http; matching is exact, except that a
 * loopback http URI matches on any port (RFC 8252 section 7.3: native clients pick a free port
 * at run time).
 */
import { URI_MAX } from './policy.js';

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export const isLoopbackHost = (hostname: string) => LOOPBACK_HOSTS.has(hostname.toLowerCase());

/** Why this URI cannot be registered, or null when it can. */
export function redirectUriProblem(value: unknown): string | null {
  if (typeof value !== 'string' || value.length === 0) return 'must be a non-empty string';
  if (value.length > URI_MAX) return `must be at most ${URI_MAX} characters`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return `"${value}" is not an absolute URL`;
  }
  if (url.hash || value.includes('#')) return `"${value}" has a fragment; redirect URIs may not`;
  if (url.username || url.password) return `"${value}" carries credentials; redirect URIs may not`;
  if (url.protocol === 'https:') return null;
  if (url.protocol === 'http:' && isLoopbackHost(url.hostname)) return null;
  return `"${value}" must use https, or http on localhost / 127.0.0.1 / [::1]`;
}

/** The registered URI the requested one matches, or null. */
export function matchRedirectUri(registered: readonly string[], requested: string): string | null {
  let asked: URL;
  try {
    asked = new URL(requested);
  } catch {
    return null;
  }
  for (const candidate of registered) {
    if (candidate === requested) return candidate;
    const known = new URL(candidate);
    if (
      known.protocol === 'http:' &&
      asked.protocol === 'http:' &&
      isLoopbackHost(known.hostname) &&
      known.hostname.toLowerCase() === asked.hostname.toLowerCase() &&
      known.pathname === asked.pathname &&
      known.search === asked.search &&
      !asked.hash &&
      !asked.username &&
      !asked.password
    ) {
      return candidate;
    }
  }
  return null;
}

/** Whether every redirect URI of the client is on this machine (the consent page warns then). */
export const onlyLoopback = (uris: readonly string[]) =>
  uris.every((u) => isLoopbackHost(new URL(u).hostname));
