/** PKCE (RFC 7636), S256 only: OAuth 2.1 and the MCP specification refuse `plain`. */
import { createHash, timingSafeEqual } from 'node:crypto';

/** 43-128 characters of the unreserved set (RFC 7636 section 4.1), for verifiers and S256 challenges alike. */
const PKCE_VALUE = /^[A-Za-z0-9\-._~]{43,128}$/;

export const isPkceValue = (value: string) => PKCE_VALUE.test(value);

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export function verifierMatches(verifier: string, challenge: string): boolean {
  if (!isPkceValue(verifier)) return false;
  const expected = Buffer.from(challenge);
  const actual = Buffer.from(s256(verifier));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
