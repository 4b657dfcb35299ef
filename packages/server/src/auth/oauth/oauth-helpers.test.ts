/** The OAuth server's pure pieces: redirect URI rules and matching, PKCE S256, resource comparison, document cache lifetime. */
import { describe, expect, it } from 'vitest';
import { cacheLifetime } from './clients.js';
import { isPkceValue, s256, verifierMatches } from './pkce.js';
import { matchRedirectUri, onlyLoopback, redirectUriProblem } from './redirect-uris.js';
import { canonicalResource } from './urls.js';

describe('redirect URIs', () => {
  it('registers https and loopback http only, without fragments or credentials', () => {
    expect(redirectUriProblem('https://claude.ai/api/mcp/auth_callback')).toBeNull();
    expect(redirectUriProblem('http://127.0.0.1:33418/')).toBeNull();
    expect(redirectUriProblem('http://localhost/callback')).toBeNull();
    expect(redirectUriProblem('http://[::1]:8080/cb')).toBeNull();
    expect(redirectUriProblem('http://example.com/cb')).toMatch(/must use https/);
    expect(redirectUriProblem('http://127.0.0.1.evil.example/cb')).toMatch(/must use https/);
    expect(redirectUriProblem('javascript:alert(1)')).toMatch(/must use https/);
    expect(redirectUriProblem('https://x.example/cb#f')).toMatch(/fragment/);
    expect(redirectUriProblem('https://u:p@x.example/cb')).toMatch(/credentials/);
    expect(redirectUriProblem('/relative')).toMatch(/not an absolute URL/);
    expect(redirectUriProblem(42)).toMatch(/non-empty string/);
  });

  it('matches exactly, except the port of a loopback http URI', () => {
    const registered = [
      'https://app.example/cb',
      'http://127.0.0.1/callback',
      'http://localhost:3000/cb?x=1',
    ];
    expect(matchRedirectUri(registered, 'https://app.example/cb')).toBe('https://app.example/cb');
    expect(matchRedirectUri(registered, 'https://app.example/cb/')).toBeNull();
    expect(matchRedirectUri(registered, 'https://app.example:444/cb')).toBeNull();
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/callback')).toBe('http://127.0.0.1/callback');
    expect(matchRedirectUri(registered, 'http://127.0.0.1:51234/other')).toBeNull();
    expect(matchRedirectUri(registered, 'http://localhost:9/cb?x=1')).toBe('http://localhost:3000/cb?x=1');
    expect(matchRedirectUri(registered, 'http://localhost:9/cb?x=2')).toBeNull();
    // Loopback by another name is another redirect URI.
    expect(matchRedirectUri(registered, 'http://localhost:51234/callback')).toBeNull();
    expect(matchRedirectUri(registered, 'not a url')).toBeNull();
  });

  it('tells when every redirect URI is on this machine', () => {
    expect(onlyLoopback(['http://127.0.0.1/cb', 'http://localhost:1/cb'])).toBe(true);
    expect(onlyLoopback(['http://127.0.0.1/cb', 'https://app.example/cb'])).toBe(false);
  });
});

describe('PKCE', () => {
  it('checks S256 (RFC 7636 appendix B example) and the verifier format', () => {
    const verifier = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
    expect(s256(verifier)).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
    expect(verifierMatches(verifier, 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM')).toBe(true);
    expect(verifierMatches(verifier, verifier)).toBe(false);
    expect(verifierMatches('short', s256('short'))).toBe(false);
    expect(isPkceValue('a'.repeat(43))).toBe(true);
    expect(isPkceValue('a'.repeat(129))).toBe(false);
    expect(isPkceValue(`${'a'.repeat(42)}=`)).toBe(false);
  });
});

describe('canonicalResource', () => {
  it('compares after URL parsing and without a trailing slash; a fragment is no resource', () => {
    const ours = canonicalResource('https://ops.example/api/mcp/mcp');
    expect(canonicalResource('HTTPS://OPS.EXAMPLE/api/mcp/mcp')).toBe(ours);
    expect(canonicalResource('https://ops.example/api/mcp/mcp/')).toBe(ours);
    expect(canonicalResource('https://ops.example:443/api/mcp/mcp')).toBe(ours);
    expect(canonicalResource('https://ops.example/api/mcp/MCP')).not.toBe(ours);
    expect(canonicalResource('https://ops.example/api/mcp/mcp#x')).toBeNull();
    expect(canonicalResource('ops.example/api/mcp/mcp')).toBeNull();
  });
});

describe('cacheLifetime', () => {
  it('follows max-age within 1 minute and 1 day, 1 hour by default, nothing for no-store', () => {
    expect(cacheLifetime(undefined)).toBe(3_600_000);
    expect(cacheLifetime('public, max-age=600')).toBe(600_000);
    expect(cacheLifetime('max-age=5')).toBe(60_000);
    expect(cacheLifetime('max-age=999999')).toBe(86_400_000);
    expect(cacheLifetime('no-store')).toBe(0);
    expect(cacheLifetime(['private', 'no-cache'])).toBe(0);
  });
});
