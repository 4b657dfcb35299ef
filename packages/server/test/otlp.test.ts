/** POST /api/v1/otlp/v1/traces end to end: a collector's OTLP/HTTP JSON export lands as events, on every engine. */
import { gzipSync } from 'node:zlib';
import type { StoredEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const T0 = 1763812800000; // 2025-11-22T12:00:00Z
const ns = (ms: number) => `${BigInt(ms) * 1_000_000n}`;
const span = (traceId: string, spanId: string, name: string, atMs: number, extra: object = {}) => ({
  traceId,
  spanId,
  parentSpanId: '',
  name,
  kind: 2,
  startTimeUnixNano: ns(atMs),
  endTimeUnixNano: ns(atMs + 42),
  attributes: [
    str('http.request.method', 'POST'),
    { key: 'http.response.status_code', value: { intValue: '200' } },
  ],
  status: {},
  ...extra,
});

/** What a collector's otlphttp exporter sends: two services, one failed span, one span without a start time. */
const EXPORT = {
  resourceSpans: [
    {
      resource: {
        attributes: [
          str('service.name', 'checkout'),
          str('service.version', '2.4.0'),
          str('deployment.environment.name', 'PRODUCTION'),
          str('telemetry.sdk.language', 'nodejs'),
        ],
      },
      scopeSpans: [
        {
          scope: { name: '@opentelemetry/instrumentation-http', version: '0.57.0' },
          spans: [
            span('0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331', 'POST /api/orders', T0),
            span('0af7651916cd43dd8448eb211c80319c', '00f067aa0ba902b7', 'chargeCard', T0 + 5, {
              status: { code: 2, message: 'card declined' },
            }),
          ],
        },
      ],
    },
    {
      resource: {
        attributes: [str('service.name', 'inventory'), str('deployment.environment', 'STAGING')],
      },
      scopeSpans: [
        {
          scope: { name: 'manual' },
          spans: [
            span('4bf92f3577b34da6a3ce929d0e0e4736', '53995c3f42cd8ad8', 'ReserveStock', T0 + 10),
            span('4bf92f3577b34da6a3ce929d0e0e4736', 'e457b5a2e4d86bd1', 'no start', T0, {
              startTimeUnixNano: undefined,
            }),
          ],
        },
      ],
    },
  ],
};

describe.each(ENGINES)('OTLP traces on %s', (engine) => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server.close());

  const send = (
    body: unknown,
    init: { path?: string; key?: string; headers?: Record<string, string> } = {},
  ) =>
    server.api(init.path ?? '/api/v1/otlp/v1/traces', {
      method: 'POST',
      key: init.key ?? key,
      body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
      headers: init.headers,
    });
  const events = async (query = '') => {
    const res = await server.api(`/api/v1/events?limit=1000${query}`, { key });
    return ((await res.json()) as { data: { events: StoredEvent[] } }).data.events;
  };

  it('stores each valid span as an event and reports the invalid one in partialSuccess', async () => {
    const res = await send(EXPORT);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { partialSuccess: { rejectedSpans: number; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe(1);
    expect(body.partialSuccess.errorMessage).toContain(
      'resourceSpans[1].scopeSpans[0].spans[1]: startTimeUnixNano:',
    );

    const checkout = await events('&source=checkout');
    expect(checkout.map((e) => e.type).sort()).toEqual(['charge-card', 'post-api-orders']);
    const charge = checkout.find((e) => e.type === 'charge-card');
    expect(charge).toMatchObject({
      id: '0af7651916cd43dd8448eb211c80319c-00f067aa0ba902b7',
      source: 'checkout',
      subject: 'PRODUCTION',
      version: '2.4.0',
      severity: 'MAJOR',
      time: '2025-11-22T12:00:00.005Z',
      data: {
        traceId: '0af7651916cd43dd8448eb211c80319c',
        spanId: '00f067aa0ba902b7',
        durationMs: 42,
        status: 'ERROR',
        statusMessage: 'card declined',
        'http.request.method': 'POST',
        'http.response.status_code': 200,
      },
    });
    expect(checkout.find((e) => e.type === 'post-api-orders')?.severity).toBeNull();

    const inventory = await events('&subject=STAGING');
    expect(inventory).toHaveLength(1);
    expect(inventory[0]).toMatchObject({
      type: 'reserve-stock',
      source: 'inventory',
      subject: 'STAGING',
      version: null,
      time: '2025-11-22T12:00:00.010Z',
    });
    expect(await events()).toHaveLength(3);
  });

  it('is idempotent: the collector retrying the same export stores nothing new', async () => {
    const before = await events();
    const res = await send(EXPORT, { path: '/api/v1/otlp/traces' });
    expect(res.status).toBe(200);
    expect(
      ((await res.json()) as { partialSuccess: { rejectedSpans: number } }).partialSuccess.rejectedSpans,
    ).toBe(1);
    const after = await events();
    expect(after.map((e) => e.id).sort()).toEqual(before.map((e) => e.id).sort());
  });

  it('answers an empty ExportTraceServiceResponse when every span is stored, gzip included', async () => {
    const one = {
      resourceSpans: [
        {
          resource: { attributes: [str('service.name', 'gateway')] },
          scopeSpans: [
            { spans: [span('11111111111111111111111111111111', '2222222222222222', 'route', T0)] },
          ],
        },
      ],
    };
    const res = await send(gzipSync(JSON.stringify(one)), {
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect((await events('&source=gateway')).map((e) => e.type)).toEqual(['route']);
  });

  it('refuses a READ_ONLY key with 403', async () => {
    const res = await send(EXPORT, { key: await server.key('READ_ONLY') });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ success: false, code: 'FORBIDDEN' });
  });

  it('refuses other media types with 415 naming the two OTLP encodings', async () => {
    const res = await send('resourceSpans', { headers: { 'content-type': 'text/plain' } });
    expect(res.status).toBe(415);
    const body = (await res.json()) as { success: boolean; error: string };
    expect(body.success).toBe(false);
    expect(body.error).toBe(
      'Content-Type: text/plain is not accepted; send OTLP/HTTP protobuf (application/x-protobuf) or JSON (application/json)',
    );
  });

  it('refuses garbage and a broken structure with 400 naming the field', async () => {
    const garbage = await send('{"resourceSpans": [nope');
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: string }).error).toMatch(/^request body: is not valid JSON/);

    const broken = await send({ resourceSpans: [{ scopeSpans: [{ spans: {} }] }] });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({
      success: false,
      code: 'VALIDATION_ERROR',
      error: 'resourceSpans[0].scopeSpans[0].spans: must be an array',
    });

    const notGzip = await send('{}', {
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    });
    expect(notGzip.status).toBe(400);
    expect(((await notGzip.json()) as { error: string }).error).toMatch(/gzip/);
  });
});
