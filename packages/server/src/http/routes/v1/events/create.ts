/**
 * POST /api/v1/events: one event (201, or 200 with the stored event on a resend of source + id),
 * a batch (JSON array or application/cloudevents-batch+json: 200 with accepted and rejected per
 * item), or CloudEvents binary mode (`ce-*` headers). A stored event in the answer carries
 * `warnings` when an attribute looks misspelt (see core's extensions.ts).
 */
import { randomUUID } from 'node:crypto';
import { ApiError, type BatchResult, LIMITS } from '@opstrails/core';
import type { FastifyInstance } from 'fastify';
import { validateIncoming } from '../../../../receivers/cdevents.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { eventFromBinaryMode, isBinaryMode } from './binary-mode.js';
import { ingestEvents, withWarnings } from './ingest.js';

const BATCH_TYPE = 'application/cloudevents-batch+json';

export function registerCreateEvents(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/events', { preHandler: requireScope(ctx.keys, 'READ_WRITE') }, async (request, reply) => {
    const orgId = request.grant?.orgId as string;
    const now = Date.now();
    const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    let body: unknown = request.body;

    if (isBinaryMode(request.headers)) {
      body = eventFromBinaryMode(request.headers, body);
    } else if (Buffer.isBuffer(body) || body === undefined) {
      throw new ApiError(
        'VALIDATION_ERROR',
        contentType
          ? `Content-Type: ${contentType} is not accepted; send application/json (or use CloudEvents binary mode with ce-* headers)`
          : 'Content-Type: missing; send the event as JSON with Content-Type: application/json',
        contentType ? 415 : 400,
      );
    }

    if (Array.isArray(body) || contentType === BATCH_TYPE) {
      if (!Array.isArray(body))
        throw new ApiError('VALIDATION_ERROR', `request body: ${BATCH_TYPE} must be a JSON array of events`);
      return reply.code(200).send(ok(await ingestBatch(ctx, orgId, body, now)));
    }

    const result = validateIncoming(body, now, randomUUID);
    if (!result.ok) throw new ApiError(result.code, result.error);
    await ctx.quota.admitEvents(orgId, 1, now);
    const [outcome] = await ctx.store.events.insert(orgId, [result.event], now);
    if (!outcome) throw new Error('insert returned no outcome');
    if (outcome.created) ctx.bus.publish(orgId, outcome.seq);
    return reply.code(outcome.created ? 201 : 200).send(ok(withWarnings(outcome.event, result.warnings)));
  });
}

async function ingestBatch(
  ctx: AppContext,
  orgId: string,
  items: unknown[],
  now: number,
): Promise<BatchResult> {
  if (items.length === 0)
    throw new ApiError('VALIDATION_ERROR', 'request body: the batch is empty; send 1 to 1000 events');
  if (items.length > LIMITS.batchMax) {
    throw new ApiError(
      'PAYLOAD_TOO_LARGE',
      `request body: the batch has ${items.length} events; the limit is ${LIMITS.batchMax} per request, split it`,
    );
  }
  return ingestEvents(ctx, orgId, items, now);
}
