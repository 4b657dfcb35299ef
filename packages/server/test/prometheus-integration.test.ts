/**
 * A real Prometheus (Debian's) on loopback, loaded with known history, read through a real
 * integration and mapping over the API, on both engines; and the address policy refusing it
 * while OPSTRAILS_ALLOW_PRIVATE_TARGETS does not list it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openMetrics,
  type PrometheusFixture,
  type Sample,
  startPrometheus,
} from '../../../test-support/prometheus.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { metricsFor } from '../src/integrations/series.js';
import type { Store } from '../src/store/store.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const START = Math.floor(Date.now() / HOUR) * HOUR - 4 * HOUR;
const COUNT = 180;
const prodValue = (i: number) => 0.5 + (i % 7) * 0.25;
const stagingValue = (i: number) => 100 + i;
const iso = (ms: number) => new Date(ms).toISOString();

let prometheus: PrometheusFixture;

beforeAll(async () => {
  const samples: Sample[] = [];
  for (let i = 0; i < COUNT; i++) {
    samples.push({ labels: { env: 'prod' }, time: START + i * MINUTE, value: prodValue(i) });
    samples.push({ labels: { env: 'staging' }, time: START + i * MINUTE, value: stagingValue(i) });
  }
  prometheus = await startPrometheus(openMetrics('checkout_errors', samples));
}, 60_000);
afterAll(() => prometheus?.close());

interface Json {
  success: boolean;
  // biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
  data: any;
  error?: string;
}

describe.each(ENGINES)('Prometheus integration on %s', (engine) => {
  let server: TestServer;
  let admin: string;
  let reader: string;
  let integrationId: string;

  beforeAll(async () => {
    server = await startTestServer(engine, { OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
    admin = await server.key('ADMIN');
    reader = await server.key('READ_ONLY');
  });
  afterAll(() => server.close());

  const call = async (path: string, method = 'GET', body?: unknown, key = admin) => {
    const res = await server.api(path, {
      method,
      key,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };

  it('creates an integration with its token sealed and masked, and the test reaches Prometheus', async () => {
    const created = await call('/api/v1/integrations', 'POST', {
      provider: 'prometheus',
      name: 'Local Prometheus',
      config: { url: prometheus.url, bearerToken: 'prom-token-abcd' },
    });
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({
      provider: 'prometheus',
      name: 'Local Prometheus',
      config: { url: prometheus.url, bearerToken: '••••abcd' },
      status: 'untested',
      lastError: null,
    });
    integrationId = created.body.data.id;
    const row = await server.store.db
      .selectFrom('integrations' as never)
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain('prom-token');

    const tested = await call(`/api/v1/integrations/${integrationId}/test`, 'POST');
    expect(tested.status).toBe(200);
    expect(tested.body.data.ok).toBe(true);
    expect(tested.body.data.message).toContain('vector(1)');
    expect(typeof tested.body.data.latencyMs).toBe('number');
    expect(
      (await call(`/api/v1/integrations/${integrationId}`, 'GET', undefined, reader)).body.data.status,
    ).toBe('ok');

    // The mask sent back keeps the stored token; a READ_WRITE key may not change configuration.
    const renamed = await call(`/api/v1/integrations/${integrationId}`, 'PATCH', {
      name: 'Prometheus',
      config: { url: prometheus.url, bearerToken: '••••abcd' },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body.data.config.bearerToken).toBe('••••abcd');
    const ci = await server.key('READ_WRITE');
    expect(
      (await call('/api/v1/integrations', 'POST', { provider: 'prometheus', name: 'x', config: {} }, ci))
        .status,
    ).toBe(403);
  });

  it('reads a mapped metric at the planted step, with $subject replaced through subjectValues', async () => {
    const mapping = await call('/api/v1/metrics/mappings', 'POST', {
      metric: 'checkout.error_rate',
      integrationId,
      query: 'checkout_errors{env="$subject"}',
      subjects: ['PRODUCTION', 'staging'],
      subjectValues: { PRODUCTION: 'prod' },
      direction: 'lower-is-better',
      unit: '%',
    });
    expect(mapping.status).toBe(201);
    expect(mapping.body.data).toMatchObject({ provider: 'prometheus', subjects: ['PRODUCTION', 'staging'] });

    const from = START + 30 * MINUTE;
    const to = START + 60 * MINUTE;
    const read = await call(
      `/api/v1/metrics/series?metric=checkout.error_rate&subject=PRODUCTION&from=${iso(from)}&to=${iso(to)}`,
      'GET',
      undefined,
      reader,
    );
    expect(read.status).toBe(200);
    expect(read.body.data).toMatchObject({ provider: 'prometheus', step: '1m', subject: 'PRODUCTION' });
    expect(read.body.data.points).toEqual(
      Array.from({ length: 30 }, (_, k) => ({ time: iso(from + k * MINUTE), value: prodValue(30 + k) })),
    );

    // A coarser step reads Prometheus' value at each 5-minute instant; an unaligned start moves to the grid.
    const coarse = await call(
      `/api/v1/metrics/series?metric=checkout.error_rate&subject=staging&from=${iso(from - 90_000)}&to=${iso(to)}&step=5m`,
      'GET',
      undefined,
      reader,
    );
    expect(coarse.body.data.points).toEqual(
      Array.from({ length: 6 }, (_, k) => ({
        time: iso(from + k * 5 * MINUTE),
        value: stagingValue(30 + 5 * k),
      })),
    );

    const applied = await metricsFor(
      server.store as unknown as Store,
      server.defaultOrg.id,
      'production',
      'checkout-api',
    );
    expect(applied).toEqual([
      expect.objectContaining({
        metric: 'checkout.error_rate',
        provider: 'prometheus',
        direction: 'lower-is-better',
      }),
    ]);
    expect(await metricsFor(server.store as unknown as Store, server.defaultOrg.id, 'QA', null)).toEqual([]);
    const listed = await call('/api/v1/metrics', 'GET', undefined, reader);
    expect(listed.body.data.metrics).toContainEqual(
      expect.objectContaining({
        name: 'checkout.error_rate',
        provider: 'prometheus',
        subjects: ['PRODUCTION', 'staging'],
      }),
    );
  });

  it("quotes what Prometheus answered when a mapping's query fails, and records it on the integration", async () => {
    const bad = await call('/api/v1/metrics/mappings', 'POST', {
      metric: 'broken_latency',
      integrationId,
      query: 'rate(checkout_errors{env="$subject"}',
      subjects: ['*'],
      direction: 'lower-is-better',
    });
    expect(bad.status).toBe(201);
    const read = await call(
      `/api/v1/metrics/series?metric=broken_latency&subject=PRODUCTION&from=-1h`,
      'GET',
      undefined,
      reader,
    );
    expect(read.status).toBe(400);
    expect(read.body.error).toMatch(/Prometheus answered 400: bad_data: .*parse error/);
    const integration = await call(`/api/v1/integrations/${integrationId}`, 'GET', undefined, reader);
    expect(integration.body.data).toMatchObject({
      status: 'error',
      lastError: expect.stringMatching(/parse error/),
    });

    const many = await call('/api/v1/metrics/mappings', 'POST', {
      metric: 'all_errors',
      integrationId,
      query: 'checkout_errors',
      subjects: ['*'],
      direction: 'lower-is-better',
    });
    expect(many.status).toBe(201);
    const both = await call(
      `/api/v1/metrics/series?metric=all_errors&subject=PRODUCTION&from=${iso(START)}&to=${iso(START + HOUR)}`,
      'GET',
      undefined,
      reader,
    );
    expect(both.status).toBe(400);
    expect(both.body.error).toMatch(/returns 2 series .*aggregate it to one/);

    // The integration cannot go while mappings read through it.
    expect((await call(`/api/v1/integrations/${integrationId}`, 'DELETE')).status).toBe(409);
    for (const id of [bad.body.data.id, many.body.data.id])
      expect((await call(`/api/v1/metrics/mappings/${id}`, 'DELETE')).status).toBe(200);
  });

  it('refuses overlapping mappings and bad mapping fields with the field named', async () => {
    const cases: [unknown, number, RegExp][] = [
      [
        { metric: 'checkout.error_rate', integrationId, query: 'x', subjects: ['*'], direction: 'either' },
        409,
        /already maps/,
      ],
      [
        { metric: 'm', integrationId: 'int_nope', query: 'x', subjects: ['P'], direction: 'either' },
        400,
        /^integrationId: /,
      ],
      [{ metric: 'm', integrationId, query: 'x', subjects: [], direction: 'either' }, 400, /^subjects: /],
      [{ metric: 'm', integrationId, query: 'x', subjects: ['P'], direction: 'down' }, 400, /^direction: /],
      [
        { metric: 'm', integrationId, query: 'x', subjects: ['P'], direction: 'either', step: '5y' },
        400,
        /^step: /,
      ],
      [{ metric: 'm', integrationId, subjects: ['P'], direction: 'either' }, 400, /^query: is required/],
    ];
    for (const [body, status, message] of cases) {
      const res = await call('/api/v1/metrics/mappings', 'POST', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(res.body.error).toMatch(message);
    }
  });

  it("applies the plan's analyticsIntegrations limit", async () => {
    const org = await server.store.organizations.create(`free-${engine}`, 'Free');
    await server.store.organizations.setPlan(org.id, 'free');
    const key = await server.key('ADMIN', org.id);
    const body = { provider: 'prometheus', name: 'P', config: { url: prometheus.url } };
    expect((await call('/api/v1/integrations', 'POST', body, key)).status).toBe(201);
    const second = await call('/api/v1/integrations', 'POST', body, key);
    expect(second.status).toBe(403);
    expect(second.body.error).toMatch(/free plan allows 1/);
  });
});

describe('Prometheus on loopback without OPSTRAILS_ALLOW_PRIVATE_TARGETS', () => {
  it('is created but refused when asked, the answer naming the setting', async () => {
    const server = await startTestServer('sqlite');
    try {
      const admin = await server.key('ADMIN');
      const created = await server.api('/api/v1/integrations', {
        method: 'POST',
        key: admin,
        body: JSON.stringify({ provider: 'prometheus', name: 'P', config: { url: prometheus.url } }),
      });
      expect(created.status).toBe(201);
      const { data } = (await created.json()) as Json;
      const tested = (await (
        await server.api(`/api/v1/integrations/${data.id}/test`, { method: 'POST', key: admin })
      ).json()) as Json;
      expect(tested.data.ok).toBe(false);
      expect(tested.data.message).toMatch(/127\.0\.0\.1.*OPSTRAILS_ALLOW_PRIVATE_TARGETS/);
    } finally {
      await server.close();
    }
  });
});
