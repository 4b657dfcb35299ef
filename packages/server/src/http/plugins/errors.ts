/**
 * The one exit for failures: thrown ApiErrors, Fastify's own client errors (body too large,
 * bad JSON, unknown route) and bugs all leave as the JSON envelope. A 500 never leaks internals.
 */
import { ApiError, LIMITS } from '@opstrails/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { failure } from '../envelope.js';
import { PUBLIC_BODY_LIMIT } from './auth.js';
import { NOSNIFF_HEADER } from './nosniff.js';
import { settleUnreadBody } from './unread-body.js';

interface Translated {
  status: number;
  error: ApiError;
}

function translate(err: FastifyError, request: FastifyRequest): Translated | null {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        error: new ApiError(
          'PAYLOAD_TOO_LARGE',
          // Sign-in routes (anyone may call them) take small bodies; the rest take event batches.
          request.routeOptions.bodyLimit === PUBLIC_BODY_LIMIT
            ? `request body: at most ${PUBLIC_BODY_LIMIT / 1024} KB here; send only the JSON fields this route takes`
            : `request body: is larger than the server accepts; one event may be ${LIMITS.eventBytesMax} bytes and a batch ${LIMITS.batchMax} events`,
        ),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        error: new ApiError(
          'VALIDATION_ERROR',
          'Content-Type: not supported here; send application/json (or application/cloudevents+json, application/cloudevents-batch+json)',
          415,
        ),
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        error: new ApiError('VALIDATION_ERROR', 'request body: is empty; send a JSON event'),
      };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return {
        status: 400,
        error: new ApiError('VALIDATION_ERROR', 'Content-Length: does not match the body sent'),
      };
    default:
      return null;
  }
}

export function send(reply: FastifyReply, error: ApiError): FastifyReply {
  settleUnreadBody(reply);
  if (error.retryAfterSeconds !== undefined)
    reply.header('Retry-After', String(Math.max(1, Math.ceil(error.retryAfterSeconds))));
  return reply.code(error.status).send(failure(error.code, error.message));
}

/**
 * Fastify's router refuses some URLs before any hook runs (bad percent-encoding, a path segment
 * over maxParamLength); this gives them the envelope too. Passed as the `frameworkErrors` option.
 */
export function frameworkErrors(err: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const error =
    err.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new ApiError(
          'VALIDATION_ERROR',
          `path: an id in the URL is too long; use the id the API returned (event ids are at most ${LIMITS.idMax} characters)`,
          414,
        )
      : new ApiError(
          'VALIDATION_ERROR',
          'path: the URL is not valid percent-encoding (a stray "%" or a cut UTF-8 sequence); encode ids with encodeURIComponent',
        );
  // Refused before the onRequest hooks that set it on every other answer.
  reply.header(NOSNIFF_HEADER, 'nosniff');
  send(reply, error);
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ApiError) return send(reply, err);
    const translated = translate(err, request);
    if (translated) return send(reply, translated.error);
    if (err.validation) return send(reply, new ApiError('VALIDATION_ERROR', err.message));
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      return send(reply, new ApiError('VALIDATION_ERROR', err.message, err.statusCode));
    }
    request.log.error({ err }, 'unhandled error');
    return send(
      reply,
      new ApiError(
        'INTERNAL_ERROR',
        `internal error: the server log has the details (request ${request.id})`,
      ),
    );
  });
  // Answered before the body is read: no route means nobody is entitled to have it buffered.
  app.addHook('onRequest', async (request) => {
    if (request.is404) throw notFound(request);
  });
  app.setNotFoundHandler((request, reply) => send(reply, notFound(request)));
}

function notFound(request: FastifyRequest): ApiError {
  const path = request.url.split('?')[0] ?? '/';
  // Under /api the path is usually right and the method wrong (OPTIONS, PUT for PATCH).
  const hint = path.startsWith('/api/')
    ? 'no such API route; check the method and path in docs/api.md'
    : 'no such route; the API lives under /api/v1';
  return new ApiError('NOT_FOUND', `${request.method} ${path}: ${hint}`);
}
