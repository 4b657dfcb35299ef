/** The ways tools prove a delivery: an HMAC of the raw body, or a shared token in a header. */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export function header(headers: IncomingHttpHeaders, name: string): string | null {
  const value = headers[name.toLowerCase()];
  if (Array.isArray(value)) return value[0] ?? null;
  return value ?? null;
}

export const hmacHex = (secret: string, body: Buffer, algorithm = 'sha256') =>
  createHmac(algorithm, secret).update(body).digest('hex');

/** Constant-time comparison, so a guessed signature learns nothing from the answer's timing. */
export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A token sent as `Authorization: Bearer <token>` or in the named header (the tools that cannot sign). */
export function tokenMatches(
  headers: IncomingHttpHeaders,
  secret: string,
  headerName = 'x-opstrails-token',
): boolean {
  const authorization = header(headers, 'authorization');
  if (authorization) {
    const token = authorization.replace(/^Bearer\s+/i, '').trim();
    if (sameText(token, secret)) return true;
  }
  const named = header(headers, headerName);
  return named !== null && sameText(named.trim(), secret);
}
