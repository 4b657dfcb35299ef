/** Assembles the Fastify app: parsers, error handling, auth and every route. No listening here. */
import type { Socket } from 'node:net';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { BODY_LIMIT, trustedProxyCheck } from '../network-config.js';
import { capConnectionsPerAddress, connectionOptions } from './connection-limits.js';
import type { AppContext } from './context.js';
import { failure } from './envelope.js';
import { registerAudit } from './plugins/audit.js';
import { authenticateBeforeBody } from './plugins/auth.js';
import { registerBodyParsers } from './plugins/body.js';
import { registerBodyBudget } from './plugins/body-budget.js';
import { frameworkErrors, registerErrorHandling } from './plugins/errors.js';
import { NOSNIFF_HEADER, registerNosniff } from './plugins/nosniff.js';
import { registerRateLimit } from './plugins/rate-limit.js';
import { registerSessions } from './plugins/session.js';
import { registerUrlLimit } from './plugins/url-limit.js';
import { registerConsole } from './routes/console.js';
import { registerHealth } from './routes/health.js';
import { registerMcp } from './routes/mcp.js';
import { registerOAuthRoutes } from './routes/oauth/index.js';
import { registerOpenApi } from './routes/openapi/routes.js';
import { registerSelfMetrics } from './routes/self-metrics/route.js';
import { registerChannelRoutes } from './routes/v1/channels/index.js';
import { registerCheckRoutes } from './routes/v1/checks/index.js';
import { registerConsoleResources } from './routes/v1/console-resources.js';
import { registerContextRoutes } from './routes/v1/context/index.js';
import { registerDoraRoutes } from './routes/v1/dora/index.js';
import { registerEventRoutes } from './routes/v1/events/index.js';
import { registerForwardingRoutes } from './routes/v1/forwarding/index.js';
import { registerGuardrailRoutes } from './routes/v1/guardrails/index.js';
import { registerImpactRoutes } from './routes/v1/impact/index.js';
import { registerIntegrationRoutes } from './routes/v1/integrations/index.js';
import { registerMetricRoutes } from './routes/v1/metrics/index.js';
import { registerNotificationRoutes } from './routes/v1/notifications/index.js';
import { registerOtlpRoutes } from './routes/v1/otlp/index.js';
import { registerReceiverRoutes } from './routes/v1/receivers/index.js';

/** Errors Node's HTTP parser raises before Fastify sees a request (huge headers, garbage) still answer JSON. */
function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) return;
  // An answer already under way (a slow download past the request timeout) cannot take another.
  if ((socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const timedOut = err.code === 'ERR_HTTP_REQUEST_TIMEOUT';
  const [status, reason] = tooLarge
    ? [431, 'Request Header Fields Too Large']
    : timedOut
      ? [408, 'Request Timeout']
      : [400, 'Bad Request'];
  const body = JSON.stringify(
    failure(
      'VALIDATION_ERROR',
      tooLarge
        ? 'request headers: too large (a very long URL or query string?); shorten them'
        : timedOut
          ? 'request: not received in time; send the headers and the whole body without pausing'
          : 'request: malformed HTTP',
    ),
  );
  // Closed once written: a half-open socket would keep its file descriptor until the peer hangs up.
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n${NOSNIFF_HEADER}: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    () => socket.destroy(),
  );
}

export function buildApp(ctx: AppContext): FastifyInstance {
  const isTrustedProxy = trustedProxyCheck(ctx.config.network.trustedProxies);
  const app = Fastify({
    ...connectionOptions(ctx.config.network, isTrustedProxy),
    logger: ctx.config.logLevel === 'silent' ? false : { level: ctx.config.logLevel },
    bodyLimit: BODY_LIMIT,
    routerOptions: { maxParamLength: 1_000 },
    // One line per request is noise for a person running `opstrails serve`; debug shows it.
    logController: new LogController({ disableRequestLogging: ctx.config.logLevel !== 'debug' }),
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    return503OnClosing: true,
    forceCloseConnections: true,
    clientErrorHandler,
    frameworkErrors,
  });
  capConnectionsPerAddress(app.server, ctx.config.network.maxConnectionsPerAddress, isTrustedProxy);
  app.decorateRequest('grant', null);
  registerNosniff(app);
  authenticateBeforeBody(app);
  registerRateLimit(app, ctx.store, ctx.config.operations.rateLimit);
  registerBodyBudget(app, ctx.config.network.maxBodyBytesInFlight);
  registerBodyParsers(app);
  registerErrorHandling(app);
  registerUrlLimit(app);
  registerSessions(app, ctx);
  registerAudit(app, ctx);
  registerOpenApi(app, ctx);
  registerHealth(app, ctx);
  registerSelfMetrics(app, ctx);
  registerEventRoutes(app, ctx);
  registerOtlpRoutes(app, ctx);
  registerReceiverRoutes(app, ctx);
  registerCheckRoutes(app, ctx);
  registerContextRoutes(app, ctx);
  registerDoraRoutes(app, ctx);
  registerMetricRoutes(app, ctx);
  registerImpactRoutes(app, ctx);
  registerIntegrationRoutes(app, ctx);
  registerChannelRoutes(app, ctx);
  registerForwardingRoutes(app, ctx);
  registerGuardrailRoutes(app, ctx);
  registerNotificationRoutes(app, ctx);
  registerMcp(app, ctx);
  registerOAuthRoutes(app, ctx);
  registerConsoleResources(app, ctx);
  registerConsole(app);
  return app;
}
