/** The OTLP span mapping: resource and span fields to event fields, rejections, size fitting. */
import { LIMITS, validateEvent } from '@opstrails/core';
import { describe, expect, it } from 'vitest';
import { eventsFromTraces, spanType } from './otlp-spans.js';

const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const span = (over: Record<string, unknown> = {}) => ({
  traceId: '5B8EFFF798038103D269B633813FC60C',
  spanId: 'EEE19B7EC3C1B174',
  name: 'GET /api/users/{id}',
  startTimeUnixNano: '1763812800123456789',
  endTimeUnixNano: '1763812800135956789',
  ...over,
});
const request = (attributes: unknown[], spans: unknown[]) => ({
  resourceSpans: [{ resource: { attributes }, scopeSpans: [{ scope: { name: 'x' }, spans }] }],
});
const service = [str('service.name', 'checkout'), str('deployment.environment.name', 'PRODUCTION')];

function single(attributes: unknown[], s: unknown) {
  const result = eventsFromTraces(request(attributes, [s]));
  if (!result.ok) throw new Error(result.error);
  return result;
}

describe('spanType', () => {
  it.each([
    ['GET /api/users/{id}', 'get-api-users-id'],
    ['processOrder', 'process-order'],
    ['HTTPServer.handle', 'http-server-handle'],
    ['  db.query  ', 'db-query'],
    ['Überprüfung läuft', 'überprüfung-läuft'],
    ['///', ''],
  ])('%s -> %s', (name, type) => expect(spanType(name)).toBe(type));

  it('stays within the type limit and never ends on a dash', () => {
    const type = spanType(`${'a'.repeat(LIMITS.typeMax - 1)} b`);
    expect(type.length).toBeLessThanOrEqual(LIMITS.typeMax);
    expect(type.endsWith('-')).toBe(false);
  });
});

describe('eventsFromTraces', () => {
  it('maps resource and span fields to the event, and the event validates', () => {
    const result = single(
      [...service, str('service.version', '2.4.0')],
      span({
        attributes: [
          str('http.request.method', 'GET'),
          { key: 'http.response.status_code', value: { intValue: '500' } },
          { key: 'retry', value: { boolValue: true } },
          { key: 'ratio', value: { doubleValue: 0.5 } },
          { key: 'tags', value: { arrayValue: { values: [{ stringValue: 'a' }, { intValue: 2 }] } } },
          { key: 'nested', value: { kvlistValue: { values: [str('k', 'v')] } } },
          { key: 'big', value: { intValue: '9223372036854775807' } },
          str('__proto__', 'x'),
        ],
        status: { code: 2, message: 'boom' },
      }),
    );
    expect(result.rejected).toEqual([]);
    const event = result.events[0]?.event;
    expect(event).toMatchObject({
      specversion: '1.0',
      id: '5b8efff798038103d269b633813fc60c-eee19b7ec3c1b174',
      type: 'get-api-users-id',
      source: 'checkout',
      subject: 'PRODUCTION',
      version: '2.4.0',
      severity: 'MAJOR',
      time: '2025-11-22T12:00:00.123Z',
    });
    expect(event?.data).toEqual({
      'http.request.method': 'GET',
      'http.response.status_code': 500,
      retry: true,
      ratio: 0.5,
      tags: ['a', 2],
      nested: { k: 'v' },
      big: '9223372036854775807',
      description: 'GET /api/users/{id} took 12.5 ms and failed: boom',
      traceId: '5b8efff798038103d269b633813fc60c',
      spanId: 'eee19b7ec3c1b174',
      durationMs: 12.5,
      status: 'ERROR',
      statusMessage: 'boom',
    });
    const validated = validateEvent(event, Date.now(), () => 'unused');
    expect(validated.ok).toBe(true);
  });

  it('reads the older deployment.environment, numeric nanoseconds, and no error as no severity', () => {
    const result = single(
      [str('service.name', 'api'), str('deployment.environment', 'STAGING')],
      span({ startTimeUnixNano: 1763812800000000000, endTimeUnixNano: undefined, status: { code: 1 } }),
    );
    expect(result.events[0]?.event).toMatchObject({
      subject: 'STAGING',
      version: null,
      severity: null,
      time: '2025-11-22T12:00:00.000Z',
      data: { status: 'OK', durationMs: null },
    });
  });

  it('prefers deployment.environment.name over deployment.environment', () => {
    const result = single([...service, str('deployment.environment', 'OLD')], span());
    expect(result.events[0]?.event.subject).toBe('PRODUCTION');
  });

  it.each([
    ['no service.name', [str('deployment.environment.name', 'PRODUCTION')], span(), /service\.name: missing/],
    ['a bad traceId', service, span({ traceId: 'W4vv95gDgQPSabYzgT/GDA==' }), /^traceId: .*hex/],
    ['an all-zero spanId', service, span({ spanId: '0000000000000000' }), /^spanId:/],
    ['no start time', service, span({ startTimeUnixNano: undefined }), /^startTimeUnixNano:/],
    ['an absurd start time', service, span({ startTimeUnixNano: 1e300 }), /^startTimeUnixNano:/],
    ['a name without letters', service, span({ name: '/' }), /^name:/],
  ])('rejects a span with %s, naming the field', (_label, attributes, s, reason) => {
    const result = single(attributes, s);
    expect(result.events).toEqual([]);
    expect(result.rejected).toEqual([
      { location: 'resourceSpans[0].scopeSpans[0].spans[0]', reason: expect.stringMatching(reason) },
    ]);
  });

  it('drops the biggest attributes first to fit 10 KB, and says so in data.truncated', () => {
    const attributes = [
      str('small', 'kept'),
      str('db.statement', 'x'.repeat(8_000)),
      str('stack', 'y'.repeat(6_000)),
      str('log', 'w'.repeat(5_000)),
      str('medium', 'z'.repeat(500)),
    ];
    const event = single(service, span({ attributes })).events[0]?.event;
    const data = event?.data as Record<string, unknown>;
    expect(data.small).toBe('kept');
    expect(data.medium).toBe('z'.repeat(500));
    expect(typeof data.log === 'string' && data.log.length).toBe(5_000);
    expect('db.statement' in data || 'stack' in data).toBe(false);
    expect(data.truncated).toMatchObject({ droppedAttributes: ['db.statement', 'stack'], droppedCount: 2 });
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(LIMITS.eventBytesMax);
    expect(validateEvent(event, Date.now(), () => 'unused').ok).toBe(true);
  });

  it('fits a span with thousands of small attributes', () => {
    const attributes = Array.from({ length: 5_000 }, (_, i) => str(`attr.${i}`, 'v'.repeat(20)));
    const event = single(service, span({ attributes })).events[0]?.event;
    const data = event?.data as { truncated: { droppedCount: number; droppedAttributes: string[] } };
    const truncated = data.truncated;
    expect(truncated.droppedCount).toBeGreaterThan(4_000);
    expect(truncated.droppedAttributes).toHaveLength(20);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(LIMITS.eventBytesMax);
  });

  it('refuses a broken structure, naming the field', () => {
    expect(eventsFromTraces([])).toMatchObject({ ok: false, error: expect.stringMatching(/^request body:/) });
    expect(eventsFromTraces({ resource_spans: [] })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^resourceSpans: Required/),
    });
    expect(eventsFromTraces({ resourceSpans: [{ scopeSpans: {} }] })).toMatchObject({
      ok: false,
      error: 'resourceSpans[0].scopeSpans: must be an array',
    });
    expect(eventsFromTraces(request(service, ['nope']))).toMatchObject({
      ok: false,
      error: 'resourceSpans[0].scopeSpans[0].spans[0]: must be an object',
    });
  });
});
