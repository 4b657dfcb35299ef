/** The Datadog connector against a loopback server speaking the Metrics API v1 query. */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDatadogMetrics } from '../../../../test-support/fake-datadog-metrics.js';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { DatadogProvider, datadog } from './datadog.js';
import { substitute } from './provider.js';

const http = new OutboundHttpClient({ allow: [{ kind: 'host', name: '127.0.0.1' }] });
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 12, 0);
const points = [0, 1, 2, 3, 4, 5].map((i) => ({ time: T0 + i * MIN, value: i * 0.5 }));
let fake: Awaited<ReturnType<typeof startFakeDatadogMetrics>>;
afterEach(() => fake?.close());

const provider = (apiKey = 'dd-api-key', timeoutMs = 2_000) =>
  new DatadogProvider(
    datadog.parseConfig({ site: 'datadoghq.eu', apiKey, appKey: 'dd-app-key', apiBaseUrl: fake.base }),
    http,
    { backoffMs: 10, timeoutMs, maxRateWaitMs: 2_000 },
  );
const read = (
  p: DatadogProvider,
  query = 'sum:trace.http.request.errors{env:prod}.as_rate()',
  stepSeconds = 60,
) => p.fetchSeries({ query, from: T0, to: T0 + 6 * MIN, stepSeconds });

describe('DatadogProvider', () => {
  it('reads the series with both keys, from and to in POSIX seconds, on the step grid', async () => {
    fake = await startFakeDatadogMetrics('dd-api-key', 'dd-app-key', points);
    expect(await read(provider())).toEqual(points);
    const q = fake.accepted[0]?.query;
    expect(q?.get('from')).toBe(String(T0 / 1000));
    expect(q?.get('to')).toBe(String((T0 + 6 * MIN) / 1000));
    expect(q?.get('query')).toBe('sum:trace.http.request.errors{env:prod}.as_rate()');
    // Two-minute steps average the minutes inside.
    expect(await read(provider(), undefined, 120)).toEqual([
      { time: T0, value: 0.25 },
      { time: T0 + 2 * MIN, value: 1.25 },
      { time: T0 + 4 * MIN, value: 2.25 },
    ]);
  });

  it('answers no points for a query without data, and asks for one series when it groups', async () => {
    fake = await startFakeDatadogMetrics('dd-api-key', 'dd-app-key', []);
    expect(await read(provider())).toEqual([]);
    const grouped = await startFakeDatadogMetrics('dd-api-key', 'dd-app-key', points);
    const p = new DatadogProvider(
      datadog.parseConfig({ apiKey: 'dd-api-key', appKey: 'dd-app-key', apiBaseUrl: grouped.base }),
      http,
    );
    await expect(read(p, 'sum:trace.http.request.errors{*} by {env}')).rejects.toThrow(
      'The Datadog query returned 2 series (env:a, env:b); aggregate it to one',
    );
    await grouped.close();
  });

  it('quotes Datadog on a refused key and a bad query, without retrying them', async () => {
    fake = await startFakeDatadogMetrics('dd-api-key', 'dd-app-key', points);
    await expect(read(provider('wrong'))).rejects.toThrow(
      /^Datadog refused the credentials \(403: Forbidden\); check apiKey .* and appKey/,
    );
    await expect(read(provider(), 'not a query')).rejects.toThrow(
      'Datadog answered 400: Error parsing query: \n unable to parse not a query',
    );
    expect(fake.all).toHaveLength(2);
  });

  it('waits out a short X-RateLimit-Reset and fails a long one saying when', async () => {
    fake = await startFakeDatadogMetrics('dd-api-key', 'dd-app-key', points);
    fake.failNext(1, fake.rateLimited(1));
    const started = Date.now();
    expect(await read(provider())).toEqual(points);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    fake.failNext(1, fake.rateLimited(120));
    await expect(read(provider())).rejects.toThrow(
      'Datadog rate limit reached (429: Too many requests); it resets in 120 s; try again then',
    );
  });

  it('retries 5xx answers and times out a silent server', async () => {
    fake = await startFakeDatadogMetrics('dd-api-key', 'dd-app-key', points);
    fake.failNext(2, { status: 503, body: { errors: ['Service Unavailable'] } });
    expect(await read(provider())).toEqual(points);
    fake.failNext(3, { status: 500, body: { errors: ['Internal Server Error'] } });
    await expect(read(provider())).rejects.toThrow(
      'Datadog answered 500: Internal Server Error (after 3 attempts)',
    );
    fake.hangNext(3);
    await expect(read(provider('dd-api-key', 200))).rejects.toThrow(
      /^Datadog did not answer: .*in time.*\(after 3 attempts\)/,
    );
  });

  it('tests with one authenticated query and says what Datadog answered', async () => {
    fake = await startFakeDatadogMetrics('dd-api-key', 'dd-app-key', points);
    expect(await provider().test()).toEqual({
      ok: true,
      message: `Datadog at ${fake.base} answered a metrics query with both keys`,
    });
    const failed = await provider('wrong').test();
    expect(failed.ok).toBe(false);
    expect(failed.message).toContain('Datadog refused the credentials (403: Forbidden)');
  });
});

describe('Datadog config', () => {
  it('takes a site and both keys, masks the keys and names a bad field', () => {
    const split = datadog.parseConfig({
      site: 'us5.datadoghq.com',
      apiKey: 'abcdef123456',
      appKey: 'zyxw98765432',
    });
    expect(datadog.describe(split)).toEqual({
      site: 'us5.datadoghq.com',
      apiKey: '••••3456',
      appKey: '••••5432',
    });
    expect(datadog.parseConfig({ apiKey: '••••3456', appKey: 'n' }, split.secrets).secrets.apiKey).toBe(
      'abcdef123456',
    );
    expect(() => datadog.parseConfig({ site: 'datadoghq.co', apiKey: 'a', appKey: 'b' })).toThrow(
      /config.site: must be one of datadoghq.com, us3.datadoghq.com/,
    );
    expect(() => datadog.parseConfig({ apiKey: 'a' })).toThrow(/config.appKey: is required for Datadog/);
    expect(() => datadog.parseConfig({ apiKey: 'a', appKey: 'b', token: 'c' })).toThrow(
      /config.token: is not a Datadog setting/,
    );
    // A subject put in a tag is what Datadog would have made of it.
    expect(substitute('sum:x{env:$subject}', { subject: 'Prod EU', source: '' }, datadog.escapeValue)).toBe(
      'sum:x{env:prod_eu}',
    );
  });
});
