/**
 * POST /api/v1/receivers/:kind/:id: a tool's own webhook delivery, with no API key: the tool's
 * signature or token is the proof. Its body is kept as bytes (in a scope of its own) because the
 * signature is over the exact bytes sent. 202 with the stored event ids.
 */
import { ApiError } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { receiverService } from '../../../../receivers/service.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';

export function registerReceiveDelivery(app: FastifyInstance, ctx: AppContext): void {
  app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { kind: string; id: string } }>(
      '/api/v1/receivers/:kind/:id',
      async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.length === 0)
          throw new ApiError(
            'VALIDATION_ERROR',
            `request body: is empty; ${request.params.kind} sends a JSON payload`,
          );
        const result = await receiverService(ctx).receive(
          ctx,
          request.params.kind,
          request.params.id,
          request.headers,
          body,
        );
        return reply.code(202).send(ok(result));
      },
    );
  });
}
