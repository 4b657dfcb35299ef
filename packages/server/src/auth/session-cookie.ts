/**
 * The console's session cookie: httpOnly (scripts never see it), SameSite=Lax (not sent on
 * cross-site subrequests), Secure whenever the console is reached over HTTPS.
 */
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';

export const SESSION_COOKIE = 'opstrails_session';
export const SESSION_TTL_MS = 14 * 24 * 60 * 60_000;
export const CSRF_HEADER = 'x-csrf-token';

/** A cookie value that is not valid percent-encoding cannot be one of our tokens. */
function decodeSafe(value: string): string | undefined {
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeSafe(part.slice(eq + 1).trim());
  }
  return undefined;
}

/** HTTPS when the public URL says so, or the proxy in front tells us the browser used it. */
export function isHttps(request: FastifyRequest, config: Config): boolean {
  if (config.publicUrl.startsWith('https:')) return true;
  const forwarded = request.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return proto === 'https' || 'encrypted' in request.raw.socket;
}

export function sessionCookie(token: string, secure: boolean, maxAgeMs = SESSION_TTL_MS): string {
  const parts = [
    `${SESSION_COOKIE}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${Math.floor(maxAgeMs / 1000)}`,
  ];
  if (secure) parts.push('Secure');
  return parts.join('; ');
}

export const clearedSessionCookie = (secure: boolean) => sessionCookie('', secure, 0);
