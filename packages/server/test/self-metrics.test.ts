/** GET /metrics: the server's own numbers in Prometheus text, open on loopback, elsewhere with a token. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample line, `name{labels} value`; null when absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : null;
}

describe.each(ENGINES)('GET /metrics on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine, { OPSTRAILS_TRUSTED_PROXIES: 'loopback' });
  }, 60_000);
  afterAll(() => server.close());

  const scrape = async () => {
    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    return res.text();
  };

  it('counts requests by route and status, times ingest and queries, and reads the store', async () => {
    const key = await server.key('READ_WRITE');
    for (let i = 0; i < 3; i++) {
      const sent = await server.api('/api/v1/events', {
        method: 'POST',
        key,
        body: JSON.stringify({
          specversion: '1.0',
          type: 'deployment',
          source: 'BE',
          time: 'NOW',
          id: `m-${i}`,
        }),
      });
      expect(sent.status).toBe(201);
    }
    expect((await server.api('/api/v1/events?limit=1', { key })).status).toBe(200);
    expect((await server.api('/api/v1/events/none?source=BE', { key })).status).toBe(404);
    // The store-wide numbers are read at most every 5 s: wait for a fresh read.
    await sleep(5_100);
    const text = await scrape();

    expect(
      sample(text, 'opstrails_http_requests_total{method="POST",route="/api/v1/events",status="201"}'),
    ).toBe(3);
    expect(
      sample(text, 'opstrails_http_requests_total{method="GET",route="/api/v1/events/:id",status="404"}'),
    ).toBe(1);
    expect(sample(text, 'opstrails_ingest_duration_seconds_count{route="/api/v1/events"}')).toBe(3);
    expect(sample(text, 'opstrails_query_duration_seconds_count{route="/api/v1/events"}')).toBe(1);
    expect(sample(text, 'opstrails_events_stored')).toBe(3);
    expect(sample(text, 'opstrails_store_size_bytes')).toBeGreaterThan(0);
    expect(sample(text, 'opstrails_outbox_depth{state="pending"}')).toBe(0);
    expect(text).toMatch(/^opstrails_consumer_lag_events\{consumer="[^"]+"\} \d+$/m);
    expect(text).toMatch(/^opstrails_consumer_lag_seconds\{consumer="[^"]+"\} [\d.]+$/m);
  }, 60_000);

  it('counts open live streams', async () => {
    const key = await server.key('READ_ONLY');
    const stream = new AbortController();
    const res = await fetch(`${server.url}/api/v1/events/stream`, {
      headers: { authorization: `Bearer ${key}` },
      signal: stream.signal,
    });
    expect(res.status).toBe(200);
    expect(sample(await scrape(), 'opstrails_sse_clients')).toBe(1);
    stream.abort();
    let open: number | null = 1;
    for (let i = 0; i < 50 && open !== 0; i++) {
      await sleep(100);
      open = sample(await scrape(), 'opstrails_sse_clients');
    }
    expect(open).toBe(0);
  }, 60_000);

  it('refuses a client that is not on loopback when no token is set, naming the setting', async () => {
    const res = await fetch(`${server.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.7' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({
      code: 'FORBIDDEN',
      error: expect.stringContaining('OPSTRAILS_METRICS_TOKEN'),
    });
  });
});

describe('GET /metrics with OPSTRAILS_METRICS_TOKEN', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite', {
      OPSTRAILS_TRUSTED_PROXIES: 'loopback',
      OPSTRAILS_METRICS_TOKEN: TOKEN,
    });
  }, 60_000);
  afterAll(() => server.close());

  it('a remote client needs the token as a bearer; loopback needs none', async () => {
    const remote = { 'x-forwarded-for': '203.0.113.7' };
    expect((await fetch(`${server.url}/metrics`, { headers: remote })).status).toBe(401);
    const wrong = await fetch(`${server.url}/metrics`, {
      headers: { ...remote, authorization: 'Bearer nope' },
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${server.url}/metrics`, {
      headers: { ...remote, authorization: `Bearer ${TOKEN}` },
    });
    expect(right.status).toBe(200);
    expect(await right.text()).toContain('# TYPE opstrails_http_requests_total counter');
    expect((await fetch(`${server.url}/metrics`)).status).toBe(200);
  });
});
