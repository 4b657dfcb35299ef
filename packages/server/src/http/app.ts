/** Assembles the Fastify app: parsers, error handling, auth and every route. No listening here. */
import type { Socket } from 'node:net';
import { LIMITS } from '@opstrails/core';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import type { AppContext } from './context.js';
import { failure } from './envelope.js';
import { registerBodyParsers } from './plugins/body.js';
import { frameworkErrors, registerErrorHandling } from './plugins/errors.js';
import { registerSessions } from './plugins/session.js';
import { registerUrlLimit } from './plugins/url-limit.js';
import { registerConsole } from './routes/console.js';
import { registerHealth } from './routes/health.js';
import { registerMcp } from './routes/mcp.js';
import { registerOAuthRoutes } from './routes/oauth/index.js';
import { registerConsoleResources } from './routes/v1/console-resources.js';
import { registerContextRoutes } from './routes/v1/context/index.js';
import { registerDoraRoutes } from './routes/v1/dora/index.js';
import { registerEventRoutes } from './routes/v1/events/index.js';
import { registerOtlpRoutes } from './routes/v1/otlp/index.js';

/** A full batch of maximal events, plus room for whitespace in pretty-printed JSON. */
const BODY_LIMIT = LIMITS.batchMax * LIMITS.eventBytesMax + 1024 * 1024;

/** Errors Node's HTTP parser raises before Fastify sees a request (huge headers, garbage) still answer JSON. */
function clientErrorHandler(err: NodeJS.ErrnoException, socket: Socket): void {
  if (!socket.writable) return;
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(
    failure(
      'VALIDATION_ERROR',
      tooLarge
        ? 'request headers: too large (a very long URL or query string?); shorten them'
        : 'request: malformed HTTP',
    ),
  );
  socket.end(
    `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function buildApp(ctx: AppContext): FastifyInstance {
  const app = Fastify({
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
  app.decorateRequest('grant', null);
  registerBodyParsers(app);
  registerErrorHandling(app);
  registerUrlLimit(app);
  registerSessions(app, ctx);
  registerHealth(app, ctx);
  registerEventRoutes(app, ctx);
  registerOtlpRoutes(app, ctx);
  registerContextRoutes(app, ctx);
  registerDoraRoutes(app, ctx);
  registerMcp(app, ctx);
  registerOAuthRoutes(app, ctx);
  registerConsoleResources(app, ctx);
  registerConsole(app);
  return app;
}
