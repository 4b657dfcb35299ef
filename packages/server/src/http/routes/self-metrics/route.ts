/**
 * GET /metrics: Prometheus text exposition of the server's own health (extended API section 8).
 * Open to loopback clients; from anywhere else only with `Authorization: Bearer
 * <OPSTRAILS_METRICS_TOKEN>` (403 without one set, 401 with a wrong one). The client address is
 * Fastify's `request.ip`: behind a reverse proxy listed in OPSTRAILS_TRUSTED_PROXIES that is the
 * real client, so the proxy does not make every request "loopback".
 */
import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { ApiError } from '@opstrails/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import { createSelfMetrics } from './collectors.js';

function isLoopback(ip: string): boolean {
  if (ip === '::1') return true;
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return isIP(v4) === 4 && v4.startsWith('127.');
}

function tokenMatches(request: FastifyRequest, token: string): boolean {
  const auth = request.headers.authorization ?? '';
  const given = Buffer.from(auth.toLowerCase().startsWith('bearer ') ? auth.slice(7).trim() : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function registerSelfMetrics(app: FastifyInstance, ctx: AppContext): void {
  const metrics = createSelfMetrics(ctx.store);

  app.addHook('onRequest', async (request) => {
    if (request.routeOptions.url !== '/api/v1/events/stream') return;
    metrics.sseClients.inc();
    request.raw.once('close', () => metrics.sseClients.dec());
  });
  app.addHook('onResponse', async (request, reply) => {
    metrics.observe(
      request.method,
      request.routeOptions.url ?? null,
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
  });

  app.get('/metrics', async (request, reply) => {
    if (!isLoopback(request.ip)) {
      const token = ctx.config.operations.metricsToken;
      if (token === undefined) {
        throw new ApiError(
          'FORBIDDEN',
          `/metrics is open to loopback only; set OPSTRAILS_METRICS_TOKEN on the server and scrape with Authorization: Bearer <token>`,
        );
      }
      if (!tokenMatches(request, token)) {
        throw new ApiError(
          'UNAUTHORIZED',
          'Authorization: Bearer <OPSTRAILS_METRICS_TOKEN> is missing or wrong',
        );
      }
    }
    reply.header('content-type', metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
