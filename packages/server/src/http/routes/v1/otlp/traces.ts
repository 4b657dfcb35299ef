/**
 * POST /api/v1/otlp/v1/traces (and /api/v1/otlp/traces): OTLP/HTTP traces, protobuf or JSON, gzip
 * or not, each span stored as an event through the same validation, quota and store path as
 * POST /api/v1/events. Answers an ExportTraceServiceResponse in the request's encoding; rejected
 * spans are counted in `partialSuccess`. A failure on a protobuf request is a google.rpc.Status,
 * as OTLP/HTTP asks; on a JSON request it is the API's usual JSON envelope.
 */
import { createGunzip } from 'node:zlib';
import { ApiError, LIMITS } from '@opstrails/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { eventsFromTraces } from '../../../../domain/otlp-spans.js';
import {
  decodeTraceRequest,
  encodeStatus,
  encodeTraceResponse,
  PROTOBUF,
} from '../../../../otlp/protobuf.js';
import type { AppContext } from '../../../context.js';
import { requireScope } from '../../../plugins/auth.js';
import { ingestEvents } from '../events/ingest.js';

/** How many span problems `partialSuccess.errorMessage` names; the count covers all of them. */
const PROBLEMS_NAMED = 5;

/** The collector's otlphttp exporter gzips by default; the body limit still applies after inflating. */
async function inflateGzip(request: FastifyRequest, _reply: unknown, payload: NodeJS.ReadableStream) {
  const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (encoding === 'identity') return payload;
  if (encoding !== 'gzip') {
    throw new ApiError(
      'VALIDATION_ERROR',
      `Content-Encoding: ${encoding} is not supported; send gzip or no compression`,
      415,
    );
  }
  const gunzip = createGunzip();
  const inflated = Object.assign(gunzip, { receivedEncodedLength: 0 });
  payload.on('data', (chunk: Buffer) => {
    inflated.receivedEncodedLength += chunk.length;
  });
  gunzip.on('error', (error) => {
    error.message = `request body: Content-Encoding is gzip but the body does not inflate (${error.message})`;
  });
  return payload.pipe(inflated);
}

const mediaType = (request: FastifyRequest) =>
  (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';

/**
 * A failure answered to a protobuf request becomes a google.rpc.Status carrying the envelope's
 * message: the error handler stays the one source of every message and status.
 */
async function statusForProtobuf(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  if (reply.statusCode < 400 || mediaType(request) !== PROTOBUF) return payload;
  let message = String(payload);
  try {
    const envelope = JSON.parse(message) as { error?: unknown };
    if (typeof envelope.error === 'string') message = envelope.error;
  } catch {
    // Not the envelope: its text is the message.
  }
  reply.header('content-type', PROTOBUF);
  return encodeStatus(reply.statusCode, message);
}

/** The export as the OTLP/JSON object the span mapping reads, whichever encoding it came in. */
function exportBody(request: FastifyRequest): unknown {
  const contentType = mediaType(request);
  if (contentType === PROTOBUF) {
    const decoded = decodeTraceRequest(Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0));
    if (!decoded.ok) throw new ApiError('VALIDATION_ERROR', decoded.error);
    return decoded.body;
  }
  if (contentType === 'application/json') return request.body;
  throw new ApiError(
    'VALIDATION_ERROR',
    contentType
      ? `Content-Type: ${contentType} is not accepted; send OTLP/HTTP protobuf (application/x-protobuf) or JSON (application/json)`
      : 'Content-Type: missing; send OTLP/HTTP protobuf with Content-Type: application/x-protobuf, or JSON with application/json',
    contentType ? 415 : 400,
  );
}

export function registerOtlpTraces(app: FastifyInstance, ctx: AppContext, path: string): void {
  app.post(
    path,
    {
      preHandler: requireScope(ctx.keys, 'READ_WRITE'),
      preParsing: inflateGzip,
      onSend: statusForProtobuf,
    },
    async (request, reply) => {
      const orgId = request.grant?.orgId as string;
      const protobuf = mediaType(request) === PROTOBUF;
      const traces = eventsFromTraces(exportBody(request));
      if (!traces.ok) throw new ApiError('VALIDATION_ERROR', traces.error);
      // The batch cap of POST /api/v1/events: a small gzip body can inflate to tens of thousands of spans.
      const spans = traces.events.length + traces.rejected.length;
      if (spans > LIMITS.batchMax) {
        throw new ApiError(
          'PAYLOAD_TOO_LARGE',
          `request body: the export has ${spans} spans; the limit is ${LIMITS.batchMax} per request, so nothing was stored: set send_batch_max_size: ${LIMITS.batchMax} in the collector's batch processor (OTEL_BSP_MAX_EXPORT_BATCH_SIZE=${LIMITS.batchMax} in an SDK)`,
        );
      }
      const stored = await ingestEvents(
        ctx,
        orgId,
        traces.events.map((s) => s.event),
        Date.now(),
      );
      const problems = [
        ...traces.rejected.map((r) => `${r.location}: ${r.reason}`),
        ...stored.rejected.map((r) => `${traces.events[r.index]?.location}: ${r.error}`),
      ];
      const more = problems.length > PROBLEMS_NAMED ? ` (and ${problems.length - PROBLEMS_NAMED} more)` : '';
      const answer =
        problems.length === 0
          ? {}
          : {
              partialSuccess: {
                rejectedSpans: problems.length,
                errorMessage: `${problems.length} span(s) rejected: ${problems.slice(0, PROBLEMS_NAMED).join('; ')}${more}`,
              },
            };
      if (protobuf) return reply.code(200).type(PROTOBUF).send(encodeTraceResponse(answer));
      return reply.code(200).send(answer);
    },
  );
}
