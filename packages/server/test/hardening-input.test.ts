/**
 * Hardening against forged input (issue 8, items 10, 20, 21, 22): a forged cursor, a token that
 * is not ours, an OTLP export past the batch cap, and the nosniff header on every JSON answer.
 */
import type { StoredEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const spanAt = (i: number) => ({
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: (i + 1).toString(16).padStart(16, '0'),
  name: `span ${i}`,
  startTimeUnixNano: `${BigInt(1763812800000 + i) * 1_000_000n}`,
  endTimeUnixNano: `${BigInt(1763812800000 + i + 5) * 1_000_000n}`,
});
const exportOf = (service: string, count: number, first = 0) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: 'service.name', value: { stringValue: service } }] },
      scopeSpans: [
        { scope: { name: 'test' }, spans: Array.from({ length: count }, (_, i) => spanAt(first + i)) },
      ],
    },
  ],
});

describe.each(ENGINES)('forged input on %s', (engine) => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server.close());

  const count = async (source: string) => {
    const res = await server.api(`/api/v1/events?source=${source}&limit=1000`, { key });
    return ((await res.json()) as { data: { events: StoredEvent[] } }).data.events.length;
  };

  it('a cursor outside the 64-bit range is a 400 naming cursor, not a 500', async () => {
    for (const forged of [
      '99999999999999999999999999.1',
      '1.99999999999999999999999999',
      '-99999999999999999999.1',
    ]) {
      const res = await server.api(`/api/v1/events?cursor=${Buffer.from(forged).toString('base64url')}`, {
        key,
      });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: 'VALIDATION_ERROR',
        error: expect.stringMatching(/^cursor:/),
      });
    }
    const valid = Buffer.from(`${Date.now()}.1`).toString('base64url');
    expect((await server.api(`/api/v1/events?cursor=${valid}`, { key })).status).toBe(200);
  });

  it('a bearer value without the ot_ prefix is not an OpsTrails key', async () => {
    const res = await server.api('/api/v1/events', { key: 'ghp_16C7e42F292c6912E7710c838347Ae178B4a' });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: string }).error).toBe(
      'Authorization: this is not an OpsTrails key: keys start with ot_',
    );
    const revoked = await server.api('/api/v1/events', { key: 'ot_notakeyanyonemade' });
    expect(((await revoked.json()) as { error: string }).error).toMatch(/unknown or revoked/);
  });

  it('an OTLP export of more than 1,000 spans is refused with 413 and stores nothing', async () => {
    const res = await server.api('/api/v1/otlp/v1/traces', {
      method: 'POST',
      key,
      body: JSON.stringify(exportOf(`big-${engine}`, 1_001)),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
      error: expect.stringMatching(/1001 spans; the limit is 1000 per request.*send_batch_max_size/),
    });
    expect(await count(`big-${engine}`)).toBe(0);
    const full = await server.api('/api/v1/otlp/v1/traces', {
      method: 'POST',
      key,
      body: JSON.stringify(exportOf(`full-${engine}`, 1_000)),
    });
    expect(full.status).toBe(200);
    expect(await count(`full-${engine}`)).toBe(1_000);
  });

  it('OTLP spans count against the event quota of the plan', async () => {
    const org = await server.store.organizations.create(`otlp-quota-${engine}`, 'OTLP quota', 'free');
    const orgKey = await server.key('READ_WRITE', org.id);
    const send = (n: number, first: number) =>
      server.api('/api/v1/otlp/v1/traces', {
        method: 'POST',
        key: orgKey,
        body: JSON.stringify(exportOf('quota', n, first)),
      });
    expect((await send(100, 0)).status).toBe(200);
    const over = await send(1, 100);
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      error: expect.stringMatching(/100 of 100/),
    });
  });

  it('JSON answers carry X-Content-Type-Options: nosniff, errors and framework refusals included', async () => {
    const answers = await Promise.all([
      server.api('/api/v1/events', { key }),
      server.api('/api/v1/events'),
      server.api('/api/v1/nothing-here', { key }),
      server.api('/api/v1/events/%E0%A4%A', { key }),
      server.api('/healthz'),
    ]);
    for (const res of answers) {
      expect(res.headers.get('content-type')).toMatch(/json/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(answers.map((r) => r.status)).toEqual([200, 401, 404, 400, 200]);
  });
});
