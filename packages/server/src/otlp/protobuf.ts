/**
 * OTLP/HTTP binary protobuf (Content-Type: application/x-protobuf). A protobuf export is decoded
 * into the OTLP/JSON shape (lowerCamelCase names, 64-bit integers as decimal strings, trace and
 * span ids as hex, enums as numbers), so the one span mapping (domain/otlp-spans.ts) serves both
 * encodings. The answers are encoded here too: ExportTraceServiceResponse and google.rpc.Status.
 * Decoding stops at protobufjs's nesting limit (100, protoc's), so a deep AnyValue is a 400.
 */
import protobuf from 'protobufjs';
import { OTLP_DESCRIPTOR } from './descriptor.js';

const root = protobuf.Root.fromJSON(OTLP_DESCRIPTOR);
const TRACES = 'opentelemetry.proto.collector.trace.v1';
const TraceRequest = root.lookupType(`${TRACES}.ExportTraceServiceRequest`);
const TraceResponse = root.lookupType(`${TRACES}.ExportTraceServiceResponse`);
const Status = root.lookupType('google.rpc.Status');

export const PROTOBUF = 'application/x-protobuf';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Base64 (how protobufjs renders bytes) to the hex OTLP/JSON uses for trace and span ids. */
function hexIds(message: Json, keys: string[]): void {
  for (const key of keys) {
    const value = message[key];
    if (typeof value === 'string') message[key] = Buffer.from(value, 'base64').toString('hex');
  }
}

export type DecodedTraces = { ok: true; body: Json } | { ok: false; error: string };

/** An ExportTraceServiceRequest in protobuf, as the OTLP/JSON object the span mapping reads. */
export function decodeTraceRequest(body: Buffer): DecodedTraces {
  let message: protobuf.Message;
  try {
    message = TraceRequest.decode(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      error: `request body: is not a protobuf ExportTraceServiceRequest (${reason}); send the OTLP/HTTP protobuf encoding with Content-Type: application/x-protobuf, or OTLP/JSON with Content-Type: application/json`,
    };
  }
  const json = TraceRequest.toObject(message, {
    longs: String,
    enums: Number,
    bytes: String,
    arrays: true,
    defaults: false,
  }) as Json;
  for (const resourceSpans of json.resourceSpans as Json[]) {
    for (const scope of (resourceSpans.scopeSpans ?? []) as Json[]) {
      for (const span of (scope.spans ?? []) as Json[]) {
        hexIds(span, ['traceId', 'spanId', 'parentSpanId']);
        for (const link of (span.links ?? []) as Json[])
          if (isObject(link)) hexIds(link, ['traceId', 'spanId']);
      }
    }
  }
  return { ok: true, body: json };
}

/** The success answer: empty, or with `partialSuccess` when spans were rejected. */
export function encodeTraceResponse(answer: {
  partialSuccess?: { rejectedSpans: number; errorMessage: string };
}): Buffer {
  return Buffer.from(TraceResponse.encode(TraceResponse.fromObject(answer)).finish());
}

/** google.rpc.Status codes by HTTP status; OTLP/HTTP clients go by the HTTP status, the code is for their logs. */
function rpcCode(httpStatus: number): number {
  switch (httpStatus) {
    case 400:
    case 413:
    case 414:
    case 415:
      return 3; // INVALID_ARGUMENT
    case 401:
      return 16; // UNAUTHENTICATED
    case 403:
      return 7; // PERMISSION_DENIED
    case 404:
      return 5; // NOT_FOUND
    case 429:
      return 8; // RESOURCE_EXHAUSTED
    case 503:
      return 14; // UNAVAILABLE
    default:
      return httpStatus >= 500 ? 13 : 2; // INTERNAL, UNKNOWN
  }
}

/** The failure body OTLP/HTTP asks for on a protobuf request: a google.rpc.Status with our message. */
export function encodeStatus(httpStatus: number, message: string): Buffer {
  return Buffer.from(Status.encode(Status.fromObject({ code: rpcCode(httpStatus), message })).finish());
}

/** Reads a google.rpc.Status (what a protobuf client gets on a failure); for tests and tools. */
export function decodeStatus(body: Uint8Array): { code: number; message: string } {
  const status = Status.toObject(Status.decode(body), { defaults: true }) as {
    code: number;
    message: string;
  };
  return { code: status.code, message: status.message };
}

/** Reads an ExportTraceServiceResponse; for tests and tools. */
export function decodeTraceResponse(body: Uint8Array): Json {
  return TraceResponse.toObject(TraceResponse.decode(body), { longs: Number }) as Json;
}
