/**
 * Serves the built web console (packages/console/dist) at `/`: files as they are, hashed assets
 * cached for a year, and index.html for every other non-API path so the single-page app can
 * route. Unknown `/api/...` paths stay JSON 404s. The page gets a strict CSP: scripts and
 * connections only from this origin, nothing framed.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { ApiError } from '@opstrails/core';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/** Where the console build lives, or null when it has not been built. */
export function consoleDir(): string | null {
  try {
    const pkg = createRequire(import.meta.url).resolve('@opstrails/console/package.json');
    const dist = join(dirname(pkg), 'dist');
    return existsSync(join(dist, 'index.html')) ? dist : null;
  } catch {
    return null;
  }
}

function sendFile(reply: FastifyReply, file: string, immutable: boolean): FastifyReply {
  reply
    .header('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
    .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin');
  if (file.endsWith('.html')) reply.header('content-security-policy', CSP).header('x-frame-options', 'DENY');
  return reply.send(createReadStream(file));
}

export function registerConsole(app: FastifyInstance, dir = consoleDir()): void {
  app.get('/*', async (request, reply) => {
    let path: string;
    try {
      path = decodeURIComponent(request.url.split('?')[0] ?? '/');
    } catch {
      throw new ApiError('VALIDATION_ERROR', 'path: is not valid percent-encoding');
    }
    if (path === '/api' || path.startsWith('/api/')) {
      throw new ApiError('NOT_FOUND', `${request.method} ${path}: no such API route; see docs/api.md`);
    }
    if (!dir) {
      throw new ApiError(
        'NOT_FOUND',
        'the web console is not built; run `npm run build` (the API is under /api/v1)',
      );
    }
    const file = normalize(join(dir, path));
    if (file.startsWith(dir + sep) && existsSync(file) && statSync(file).isFile()) {
      return sendFile(reply, file, path.startsWith('/assets/'));
    }
    if (path.startsWith('/assets/')) {
      // A stale page asking for an asset of an older build: a clear 404, not HTML served as script.
      throw new ApiError('NOT_FOUND', `${path}: no such console file; reload the page`);
    }
    return sendFile(reply, join(dir, 'index.html'), false);
  });
}
