/** The New Relic connector against a loopback server speaking NerdGraph's NRQL queries. */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeNewRelic } from '../../../../test-support/fake-newrelic.js';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { NewRelicProvider, newrelic, rangedNrql } from './newrelic.js';
import { substitute } from './provider.js';

const http = new OutboundHttpClient({ allow: [{ kind: 'host', name: '127.0.0.1' }] });
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 12, 0);
const points = [0, 1, 2, 3].map((i) => ({ time: T0 + i * MIN, value: 120 + i * 10 }));
const NRQL = "SELECT average(duration) FROM Transaction WHERE appName = 'checkout' TIMESERIES 1 minute";
let fake: Awaited<ReturnType<typeof startFakeNewRelic>>;
afterEach(() => fake?.close());

const provider = (apiKey = 'NRAK-GOOD', accountId = 1234567, timeoutMs = 2_000) =>
  new NewRelicProvider(newrelic.parseConfig({ apiKey, accountId, apiBaseUrl: fake.base }), http, {
    backoffMs: 10,
    timeoutMs,
    maxRateWaitMs: 2_000,
  });
const read = (p: NewRelicProvider, query = NRQL) =>
  p.fetchSeries({ query, from: T0, to: T0 + 4 * MIN, stepSeconds: 60 });

describe('NewRelicProvider', () => {
  it('asks NerdGraph for the NRQL over the range and reads each bucket', async () => {
    fake = await startFakeNewRelic('NRAK-GOOD', 1234567, points);
    expect(await read(provider())).toEqual(points);
    const body = fake.accepted[0]?.json as { query: string; variables: Record<string, unknown> };
    expect(body.query).toContain('actor { account(id: $accountId) { nrql(query: $nrql');
    expect(body.variables).toEqual({ accountId: 1234567, nrql: `${NRQL} SINCE ${T0} UNTIL ${T0 + 4 * MIN}` });
    expect(fake.accepted[0]?.headers['api-key']).toBe('NRAK-GOOD');
    // Without TIMESERIES the step is added.
    expect(rangedNrql('SELECT count(*) FROM Transaction', 0, 60_000, 300)).toBe(
      'SELECT count(*) FROM Transaction TIMESERIES 300 seconds SINCE 0 UNTIL 60000',
    );
  });

  it('leaves empty buckets out', async () => {
    fake = await startFakeNewRelic('NRAK-GOOD', 1234567, []);
    expect(await read(provider())).toEqual([]);
  });

  it('quotes NerdGraph on a bad key, an account the key cannot read, and bad NRQL', async () => {
    fake = await startFakeNewRelic('NRAK-GOOD', 1234567, points);
    await expect(read(provider('NRAK-BAD'))).rejects.toThrow(
      /^New Relic refused the credentials \(401: Invalid API key\); check apiKey/,
    );
    await expect(read(provider('NRAK-GOOD', 999))).rejects.toThrow(
      'New Relic answered: Account 999 is not accessible with this API key',
    );
    await expect(read(provider(), 'FROM Transaction TIMESERIES')).rejects.toThrow(
      /^New Relic answered: NRQL Syntax Error/,
    );
    await expect(read(provider(), `${NRQL} SINCE 1 hour ago`)).rejects.toThrow(
      'the NRQL carries SINCE or UNTIL',
    );
    await expect(read(provider(), `${NRQL} FACET host`)).rejects.toThrow('leave FACET out');
  });

  it('waits out a short Retry-After and fails a long one saying when', async () => {
    fake = await startFakeNewRelic('NRAK-GOOD', 1234567, points);
    fake.failNext(1, fake.rateLimited(1));
    expect(await read(provider())).toEqual(points);
    fake.failNext(1, fake.rateLimited(60));
    await expect(read(provider())).rejects.toThrow(
      'New Relic rate limit reached (429: Too many requests: the concurrent request limit was reached); it resets in 60 s; try again then',
    );
  });

  it('retries 5xx answers and times out a silent server', async () => {
    fake = await startFakeNewRelic('NRAK-GOOD', 1234567, points);
    fake.failNext(2, { status: 503, body: { errors: [{ message: 'Service Unavailable' }] } });
    expect(await read(provider())).toEqual(points);
    fake.hangNext(3);
    await expect(read(provider('NRAK-GOOD', 1234567, 200))).rejects.toThrow(
      /^New Relic did not answer: .*\(after 3 attempts\)/,
    );
  });

  it('tests by asking who the key belongs to', async () => {
    fake = await startFakeNewRelic('NRAK-GOOD', 1234567, points);
    expect(await provider().test()).toEqual({ ok: true, message: 'New Relic answered as Ada Lovelace' });
    expect((await provider('NRAK-BAD').test()).ok).toBe(false);
  });
});

describe('New Relic config', () => {
  it('takes the account id as a number or digits, a region, and masks the key', () => {
    const split = newrelic.parseConfig({ apiKey: 'NRAK-ABCDEFGH', accountId: '42', region: 'EU' });
    expect(newrelic.describe(split)).toEqual({ apiKey: '••••EFGH', accountId: '42', region: 'EU' });
    expect(() => newrelic.parseConfig({ apiKey: 'a', accountId: 'acme' })).toThrow(
      /config.accountId: "acme" must be the numeric account id/,
    );
    expect(() => newrelic.parseConfig({ apiKey: 'a', accountId: 1, region: 'APAC' })).toThrow(
      /config.region: must be one of US, EU/,
    );
    expect(
      substitute("WHERE appName = '$source'", { subject: '', source: "o'brien\\" }, newrelic.escapeValue),
    ).toBe("WHERE appName = 'o\\'brien\\\\'");
  });
});
