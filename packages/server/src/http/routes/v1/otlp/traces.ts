/**
 * POST /api/v1/otlp/v1/traces (and /api/v1/otlp/traces): OTLP/HTTP JSON traces, each span stored
 * as an event through the same validation, quota and store path as POST /api/v1/events. Answers
 * an ExportTraceServiceResponse; rejected spans are counted in `partialSuccess`.
 */
import { createGunzip } from 'node:zlib';
import { ApiError, LIMITS } from '@opstrails/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { eventsFromTraces } from '../../../../domain/otlp-spans.js';
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

export function registerOtlpTraces(app: FastifyInstance, ctx: AppContext, path: string): void {
  app.post(
    path,
    { preHandler: requireScope(ctx.keys, 'READ_WRITE'), preParsing: inflateGzip },
    async (request, reply) => {
      const orgId = request.grant?.orgId as string;
      const contentType = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (contentType === 'application/x-protobuf') {
        throw new ApiError(
          'VALIDATION_ERROR',
          'Content-Type: application/x-protobuf is not accepted; OpsTrails reads OTLP/HTTP JSON: set `encoding: json` on the collector otlphttp exporter (OTEL_EXPORTER_OTLP_PROTOCOL=http/json in an SDK)',
          415,
        );
      }
      if (contentType !== 'application/json') {
        throw new ApiError(
          'VALIDATION_ERROR',
          contentType
            ? `Content-Type: ${contentType} is not accepted; send OTLP/HTTP JSON with Content-Type: application/json`
            : 'Content-Type: missing; send OTLP/HTTP JSON with Content-Type: application/json',
          contentType ? 415 : 400,
        );
      }

      const traces = eventsFromTraces(request.body);
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
      if (problems.length === 0) return reply.code(200).send({});
      const more = problems.length > PROBLEMS_NAMED ? ` (and ${problems.length - PROBLEMS_NAMED} more)` : '';
      return reply.code(200).send({
        partialSuccess: {
          rejectedSpans: problems.length,
          errorMessage: `${problems.length} span(s) rejected: ${problems.slice(0, PROBLEMS_NAMED).join('; ')}${more}`,
        },
      });
    },
  );
}
