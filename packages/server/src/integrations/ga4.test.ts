/**
 * The GA4 connector against a loopback Google: the service-account JWT verified by the token
 * endpoint, tokens cached and refreshed, runReport rows in the property's zone, paged.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeGa4 } from '../../../../test-support/fake-ga4.js';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { Ga4Provider, ga4 } from './ga4.js';
import type { CallOptions } from './saas.js';

const http = new OutboundHttpClient({ allow: [{ kind: 'host', name: '127.0.0.1' }] });
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 23, 58);
const points = [0, 1, 2, 3, 4].map((i) => ({ time: T0 + i * MIN, value: 10 + i }));
const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const email = 'opstrails@acme-analytics.iam.gserviceaccount.com';
let fake: Awaited<ReturnType<typeof startFakeGa4>>;
afterEach(() => fake?.close());

const start = (pts = points) =>
  startFakeGa4({
    clientEmail: email,
    publicKey,
    propertyId: '123456789',
    timeZone: 'America/New_York',
    points: pts,
  });
const provider = (options: CallOptions = {}, propertyId = '123456789', key = pem) =>
  new Ga4Provider(
    ga4.parseConfig({
      propertyId,
      serviceAccount: { type: 'service_account', client_email: email, private_key: key },
      apiBaseUrl: fake.base,
      tokenUrl: `${fake.base}/token`,
    }),
    http,
    { backoffMs: 10, timeoutMs: 2_000, maxRateWaitMs: 2_000, ...options },
  );
const read = (p: Ga4Provider, query = 'screenPageViews', stepSeconds = 60) =>
  p.fetchSeries({ query, from: T0, to: T0 + 5 * MIN, stepSeconds });

describe('Ga4Provider', () => {
  it('exchanges a signed JWT for a token, reads dateHourMinute rows in the property zone, page by page', async () => {
    fake = await start();
    expect(await read(provider({ pageSize: 2 }))).toEqual(points);
    const reports = fake.accepted.filter((r) => r.path.endsWith(':runReport'));
    expect(reports.map((r) => (r.json as { offset: number }).offset)).toEqual([0, 2, 4]);
    expect(reports[0]?.json).toMatchObject({
      dimensions: [{ name: 'dateHourMinute' }],
      metrics: [{ name: 'screenPageViews' }],
      orderBys: [{ dimension: { dimensionName: 'dateHourMinute' } }],
      limit: 2,
    });
    expect(fake.tokensIssued()).toBe(1);
    // Five minutes summed into one five-minute step.
    const summed = await provider().fetchSeries({
      query: 'sessions',
      from: T0 - 3 * MIN,
      to: T0 + 2 * MIN,
      stepSeconds: 300,
    });
    expect(summed).toEqual([{ time: T0 - 3 * MIN, value: 10 + 11 }]);
  });

  it('reuses the cached token, and fetches a new one when the API refuses it', async () => {
    fake = await start();
    await read(provider());
    await read(provider());
    expect(fake.tokensIssued()).toBe(1);
    fake.revokeTokens();
    expect(await read(provider())).toEqual(points);
    expect(fake.tokensIssued()).toBe(2);
  });

  it('answers no points for a range without rows, and passes a dimension filter', async () => {
    fake = await start([]);
    expect(await read(provider())).toEqual([]);
    await read(provider(), 'screenPageViews hostName==shop.example.com');
    expect(fake.accepted.at(-1)?.json).toMatchObject({
      dimensionFilter: {
        filter: { fieldName: 'hostName', stringFilter: { matchType: 'EXACT', value: 'shop.example.com' } },
      },
    });
  });

  it('quotes Google on a wrong property, an unknown metric and a key it cannot verify', async () => {
    fake = await start();
    await expect(read(provider({}, '999'))).rejects.toThrow(
      /^Google Analytics refused the credentials \(403: PERMISSION_DENIED: User does not have sufficient permissions for this property.*\); add the service account’s client_email as a Viewer/,
    );
    await expect(read(provider(), 'pageViews')).rejects.toThrow(
      /^Google Analytics answered 400: INVALID_ARGUMENT: Field pageViews is not a valid metric/,
    );
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    await expect(read(provider({}, '123456789', other.toString()))).rejects.toThrow(
      'Google’s token endpoint answered 400: invalid_grant: Invalid JWT Signature.',
    );
  });

  it('backs off on RESOURCE_EXHAUSTED and retries 5xx, then gives up quoting Google; times out a silent API', async () => {
    fake = await start();
    await read(provider());
    fake.failNext(1, fake.rateLimited);
    expect(await read(provider())).toEqual(points);
    fake.failNext(3, fake.rateLimited);
    await expect(read(provider())).rejects.toThrow(
      'Google Analytics rate limit reached (429: RESOURCE_EXHAUSTED: Exhausted property tokens per hour for a property. This request was not processed.) (after 3 attempts)',
    );
    fake.failNext(3, {
      status: 500,
      body: { error: { code: 500, message: 'Internal error encountered.', status: 'INTERNAL' } },
    });
    await expect(read(provider())).rejects.toThrow(
      'Google Analytics answered 500: INTERNAL: Internal error encountered. (after 3 attempts)',
    );
    fake.hangNext(3);
    await expect(read(provider({ timeoutMs: 200 }))).rejects.toThrow(
      /^Google Analytics did not answer: .*\(after 3 attempts\)/,
    );
  });

  it('tests by reading the property metadata', async () => {
    fake = await start();
    expect(await provider().test()).toEqual({
      ok: true,
      message: 'Google Analytics answered for property 123456789 (5 metrics available)',
    });
    expect((await provider({}, '999').test()).message).toContain('PERMISSION_DENIED');
  });
});

describe('GA4 config', () => {
  it('takes the JSON key as an object or its text, seals it, and shows the client email', () => {
    const key = JSON.stringify({
      type: 'service_account',
      client_email: email,
      private_key: pem,
      private_key_id: 'x',
    });
    const split = ga4.parseConfig({ propertyId: '123', serviceAccount: key });
    expect(ga4.describe(split)).toEqual({ propertyId: '123', clientEmail: email, serviceAccount: '••••' });
    expect(JSON.stringify(split.plain)).not.toContain('PRIVATE KEY');
    expect(ga4.parseConfig({ propertyId: '123', serviceAccount: '••••' }, split.secrets).secrets).toEqual(
      split.secrets,
    );
    expect(() => ga4.parseConfig({ propertyId: '123', serviceAccount: '{"client_email": "a"}' })).toThrow(
      /config.serviceAccount: must be the service account’s JSON key with client_email and private_key/,
    );
    expect(() => ga4.parseConfig({ propertyId: 'G-ABC123', serviceAccount: key })).toThrow(
      /config.propertyId: "G-ABC123" must be the numeric property id/,
    );
  });
});
