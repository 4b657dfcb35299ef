/**
 * The OTLP traces endpoint with the OpenTelemetry JavaScript exporters as clients, on every engine:
 * protobuf (plain and gzip) and JSON (gzip) land as the same events; protobuf requests get
 * protobuf answers (partialSuccess, google.rpc.Status) as OTLP/HTTP asks.
 */
import { gzipSync } from 'node:zlib';
import { SpanStatusCode } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
// The serializer the protobuf exporter itself uses: raw requests for the answers it does not expose.
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { StoredEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { BODY_LIMIT } from '../src/network-config.js';
import { decodeStatus, decodeTraceResponse } from '../src/otlp/protobuf.js';

type ExporterOptions = NonNullable<ConstructorParameters<typeof ProtobufExporter>[0]>;
const GZIP = 'gzip' as ExporterOptions['compression'];
/** ExportResultCode of @opentelemetry/core. */
const SUCCESS = 0;
const FAILED = 1;

const T0 = Date.UTC(2026, 0, 15, 9, 30);

/** Spans as an instrumented service makes them, captured in memory to send with any exporter. */
function recordSpans(service: string, make: (tracer: ReturnType<BasicTracerProvider['getTracer']>) => void) {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': service,
      'service.version': '3.1.0',
      'deployment.environment.name': 'production',
    }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  make(provider.getTracer('checkout-instrumentation', '1.0.0'));
  return memory.getFinishedSpans();
}

function checkoutSpans(service: string): ReadableSpan[] {
  return recordSpans(service, (tracer) => {
    const order = tracer.startSpan('POST /api/orders', {
      startTime: T0,
      attributes: {
        'http.request.method': 'POST',
        'http.response.status_code': 201,
        'order.total': 99.5,
        'order.express': true,
        'order.items': ['book', 'pen'],
      },
    });
    order.end(T0 + 120);
    const charge = tracer.startSpan('chargeCard', { startTime: T0 + 10 });
    charge.setStatus({ code: SpanStatusCode.ERROR, message: 'card declined' });
    charge.end(T0 + 52);
  });
}

const exportWith = (exporter: ProtobufExporter | JsonExporter, spans: ReadableSpan[]) =>
  new Promise<{ code: number; error?: Error }>((resolve) => exporter.export(spans, resolve)).finally(() =>
    exporter.shutdown(),
  );

describe.each(ENGINES)('OTLP exporters on %s', (engine) => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server.close());

  const options = (apiKey: string, extra: ExporterOptions = {}): ExporterOptions => ({
    url: `${server.url}/api/v1/otlp/v1/traces`,
    headers: { authorization: `Bearer ${apiKey}` },
    ...extra,
  });
  const events = async (query: string, apiKey = key) => {
    const res = await server.api(`/api/v1/events?limit=100${query}`, { key: apiKey });
    return ((await res.json()) as { data: { events: StoredEvent[] } }).data.events;
  };
  const post = (body: Buffer | Uint8Array, headers: Record<string, string>, apiKey = key) =>
    server.api('/api/v1/otlp/v1/traces', {
      method: 'POST',
      key: apiKey,
      body: Buffer.from(body),
      headers: { 'content-type': 'application/x-protobuf', ...headers },
    });

  it('stores the protobuf exporter spans exactly as the same spans sent by the JSON exporter (gzip)', async () => {
    const spans = checkoutSpans('checkout');
    const other = await server.store.organizations.create('json-side', 'JSON side');
    const otherKey = await server.key('READ_WRITE', other.id);

    expect(await exportWith(new ProtobufExporter(options(key)), spans)).toEqual({ code: SUCCESS });
    expect(await exportWith(new JsonExporter(options(otherKey, { compression: GZIP })), spans)).toEqual({
      code: SUCCESS,
    });

    const viaProtobuf = await events('&source=checkout');
    const viaJson = await events('&source=checkout', otherKey);
    const comparable = (list: StoredEvent[]) =>
      list.map(({ createdAt: _, ...rest }) => rest).sort((a, b) => a.id.localeCompare(b.id));
    expect(viaProtobuf).toHaveLength(2);
    expect(comparable(viaProtobuf)).toEqual(comparable(viaJson));

    const [order, charge] = ['post-api-orders', 'charge-card'].map((t) =>
      viaProtobuf.find((e) => e.type === t),
    );
    const orderSpan = spans.find((s) => s.name === 'POST /api/orders');
    expect(order).toMatchObject({
      id: `${orderSpan?.spanContext().traceId}-${orderSpan?.spanContext().spanId}`,
      source: 'checkout',
      subject: 'production',
      version: '3.1.0',
      severity: null,
      time: new Date(T0).toISOString(),
      data: {
        'http.request.method': 'POST',
        'http.response.status_code': 201,
        'order.total': 99.5,
        'order.express': true,
        'order.items': ['book', 'pen'],
        durationMs: 120,
        status: 'UNSET',
        traceId: orderSpan?.spanContext().traceId,
        spanId: orderSpan?.spanContext().spanId,
      },
    });
    expect(charge).toMatchObject({
      severity: 'MAJOR',
      time: new Date(T0 + 10).toISOString(),
      data: { status: 'ERROR', statusMessage: 'card declined', durationMs: 42 },
    });
  });

  it('takes gzip-compressed protobuf from the exporter', async () => {
    const spans = checkoutSpans('payments');
    expect(await exportWith(new ProtobufExporter(options(key, { compression: GZIP })), spans)).toEqual({
      code: SUCCESS,
    });
    expect((await events('&source=payments')).map((e) => e.type).sort()).toEqual([
      'charge-card',
      'post-api-orders',
    ]);
  });

  it('answers a protobuf request in protobuf: an empty response, or partialSuccess naming the rejected span', async () => {
    const good = ProtobufTraceSerializer.serializeRequest(checkoutSpans('ledger')) as Uint8Array;
    const ok = await post(good, {});
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-type')).toBe('application/x-protobuf');
    expect(decodeTraceResponse(new Uint8Array(await ok.arrayBuffer()))).toEqual({});

    const nameless = recordSpans('ledger', (tracer) =>
      tracer.startSpan('***', { startTime: T0 }).end(T0 + 1),
    );
    const partial = await post(ProtobufTraceSerializer.serializeRequest(nameless) as Uint8Array, {});
    expect(partial.status).toBe(200);
    expect(partial.headers.get('content-type')).toBe('application/x-protobuf');
    const answer = decodeTraceResponse(new Uint8Array(await partial.arrayBuffer())) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    expect(answer.partialSuccess.rejectedSpans).toBe(1);
    expect(answer.partialSuccess.errorMessage).toContain(
      'resourceSpans[0].scopeSpans[0].spans[0]: name: must contain letters or digits',
    );
  });

  it('refuses bytes that are not a protobuf export with 400 and a google.rpc.Status', async () => {
    // Field 1 (resourceSpans) claiming 2^28 bytes that are not there.
    const res = await post(Buffer.from([0x0a, 0x80, 0x80, 0x80, 0x80, 0x01, 0x01]), {});
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const status = decodeStatus(new Uint8Array(await res.arrayBuffer()));
    expect(status.code).toBe(3); // INVALID_ARGUMENT
    expect(status.message).toMatch(/^request body: is not a protobuf ExportTraceServiceRequest \(/);

    // OTLP/JSON sent under the protobuf media type (a misconfigured exporter): refused, never stored.
    const json = await post(Buffer.from(JSON.stringify({ resourceSpans: [] })), {});
    expect(json.status).toBe(400);
    expect(decodeStatus(new Uint8Array(await json.arrayBuffer())).message).toContain(
      'or OTLP/JSON with Content-Type: application/json',
    );
  });

  it('refuses an attribute nested past the decoding limit with 400, not a crash', async () => {
    const field = (n: number, body: Buffer) =>
      Buffer.concat([Buffer.from([(n << 3) | 2]), varint(body.length), body]);
    let value = field(1, Buffer.from('x')); // AnyValue.stringValue
    for (let i = 0; i < 150; i++) value = field(5, field(1, value)); // AnyValue.arrayValue.values
    const keyValue = Buffer.concat([field(1, Buffer.from('deep')), field(2, value)]);
    const request = field(1, field(2, field(2, field(9, keyValue)))); // resourceSpans.scopeSpans.spans.attributes
    const res = await post(request, {});
    expect(res.status).toBe(400);
    expect(decodeStatus(new Uint8Array(await res.arrayBuffer())).message).toContain('max depth exceeded');
  });

  it('answers a bad key with 401 as a google.rpc.Status, and the exporter reports the export failed', async () => {
    const res = await post(Buffer.alloc(0), {}, 'ot_not_a_key');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    expect(decodeStatus(new Uint8Array(await res.arrayBuffer())).code).toBe(16); // UNAUTHENTICATED

    const result = await exportWith(new ProtobufExporter(options('ot_not_a_key')), checkoutSpans('refused'));
    expect(result.code).toBe(FAILED);
    expect(await events('&source=refused')).toEqual([]);
  });

  it('stops a gzip bomb at the body limit after inflating: 413, for protobuf and JSON alike', async () => {
    const bomb = gzipSync(Buffer.alloc(BODY_LIMIT + 1024 * 1024));
    expect(bomb.length).toBeLessThan(BODY_LIMIT / 100);
    const protobuf = await post(bomb, { 'content-encoding': 'gzip' });
    expect(protobuf.status).toBe(413);
    expect(decodeStatus(new Uint8Array(await protobuf.arrayBuffer())).code).toBe(3);

    const json = await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
    expect(json.status).toBe(413);
    expect(await json.json()).toMatchObject({ success: false, code: 'PAYLOAD_TOO_LARGE' });
  });
});

function varint(n: number): Buffer {
  const bytes: number[] = [];
  let rest = n;
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest >>>= 7;
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}
