/**
 * The Adobe Analytics connector against loopback IMS and reports API: client-credentials token
 * cached and refreshed, the minute dimension's item ids read in the suite's zone, paged.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeAdobe } from '../../../../test-support/fake-adobe.js';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { AdobeProvider, adobe } from './adobe.js';
import type { CallOptions } from './saas.js';

const http = new OutboundHttpClient({ allow: [{ kind: 'host', name: '127.0.0.1' }] });
const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 31, 23, 58);
const points = [0, 1, 2, 3, 4].map((i) => ({ time: T0 + i * MIN, value: 100 + i }));
const ids = {
  clientId: 'adobe-client',
  clientSecret: 'p8e-secret',
  orgId: 'ABC123@AdobeOrg',
  companyId: 'acmeco0',
};
let fake: Awaited<ReturnType<typeof startFakeAdobe>>;
afterEach(() => fake?.close());

const start = (pts = points) =>
  startFakeAdobe({ ...ids, rsid: 'acmeprod', timeZone: 'Europe/Berlin', points: pts });
const provider = (options: CallOptions = {}, config: Record<string, unknown> = {}) =>
  new AdobeProvider(
    adobe.parseConfig({
      ...ids,
      reportSuiteId: 'acmeprod',
      timeZone: 'Europe/Berlin',
      apiBaseUrl: fake.base,
      tokenUrl: `${fake.base}/ims/token/v3`,
      ...config,
    }),
    http,
    { backoffMs: 10, timeoutMs: 2_000, maxRateWaitMs: 2_000, ...options },
  );
const read = (p: AdobeProvider, query = 'metrics/pageviews', stepSeconds = 60) =>
  p.fetchSeries({ query, from: T0, to: T0 + 5 * MIN, stepSeconds });

describe('AdobeProvider', () => {
  it('reads the minute dimension across a year boundary in the suite zone, page by page', async () => {
    fake = await start();
    expect(await read(provider({ pageSize: 2 }))).toEqual(points);
    const reports = fake.accepted.filter((r) => r.path === '/api/acmeco0/reports');
    expect(reports.map((r) => (r.json as { settings: { page: number } }).settings.page)).toEqual([0, 1, 2]);
    expect(reports[0]?.json).toMatchObject({
      rsid: 'acmeprod',
      // 23:58 UTC on 31 December is 00:58 on 1 January in Berlin.
      globalFilters: [{ type: 'dateRange', dateRange: '2027-01-01T00:58:00.000/2027-01-01T01:02:59.000' }],
      metricContainer: { metrics: [{ columnId: '0', id: 'metrics/pageviews' }] },
      dimension: 'variables/daterangeminute',
    });
    expect(reports[0]?.headers).toMatchObject({
      'x-api-key': 'adobe-client',
      'x-proxy-global-company-id': 'acmeco0',
      'x-gw-ims-org-id': 'ABC123@AdobeOrg',
    });
    await read(provider(), 'metrics/visits s300000_abc');
    expect(fake.accepted.at(-1)?.json).toMatchObject({
      globalFilters: [{ type: 'dateRange' }, { type: 'segment', segmentId: 's300000_abc' }],
    });
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

  it('answers no points for a range without rows', async () => {
    fake = await start([]);
    expect(await read(provider())).toEqual([]);
  });

  it('quotes Adobe on a wrong secret, a wrong report suite and a bad metric', async () => {
    fake = await start();
    await expect(read(provider({}, { clientSecret: 'other' }))).rejects.toThrow(
      'Adobe IMS answered 400: invalid_client: invalid client_secret parameter',
    );
    await expect(read(provider({}, { reportSuiteId: 'acmedev' }))).rejects.toThrow(
      'Adobe Analytics answered 400: invalid_rsid: Report suite "acmedev" does not exist',
    );
    await expect(read(provider(), 'pageviews')).rejects.toThrow(
      'Adobe Analytics answered 400: invalid_metric: Metric "pageviews" is not valid',
    );
    await expect(read(provider({}, { orgId: 'OTHER@AdobeOrg' }))).rejects.toThrow(
      /^Adobe Analytics refused the credentials \(403: invalid_company: .*\); check clientId and clientSecret/,
    );
  });

  it('waits out a short Retry-After, fails a long one, retries 5xx and times out a silent API', async () => {
    fake = await start();
    await read(provider());
    fake.failNext(1, fake.rateLimited(1));
    expect(await read(provider())).toEqual(points);
    fake.failNext(1, fake.rateLimited(3600));
    await expect(read(provider())).rejects.toThrow(
      'Adobe Analytics rate limit reached (429: 429050: Too many requests); it resets in 3600 s; try again then',
    );
    fake.failNext(3, {
      status: 503,
      body: { errorCode: 'service_unavailable', errorDescription: 'Try again later' },
    });
    await expect(read(provider())).rejects.toThrow(
      'Adobe Analytics answered 503: service_unavailable: Try again later (after 3 attempts)',
    );
    fake.hangNext(3);
    await expect(read(provider({ timeoutMs: 200 }))).rejects.toThrow(
      /^Adobe Analytics did not answer: .*\(after 3 attempts\)/,
    );
  });

  it('tests by reading the report suite', async () => {
    fake = await start();
    expect(await provider().test()).toEqual({
      ok: true,
      message: 'Adobe Analytics answered for the report suite Production',
    });
    expect((await provider({}, { clientSecret: 'other' }).test()).message).toContain('invalid_client');
  });
});

describe('Adobe config', () => {
  it('seals the client secret and names a bad field', () => {
    const split = adobe.parseConfig({ ...ids, reportSuiteId: 'acmeprod' });
    expect(adobe.describe(split)).toEqual({ ...ids, clientSecret: '••••cret', reportSuiteId: 'acmeprod' });
    expect(() => adobe.parseConfig({ ...ids, orgId: 'ABC123', reportSuiteId: 'x' })).toThrow(
      /config.orgId: "ABC123" must be the organization id ending in @AdobeOrg/,
    );
    expect(() => adobe.parseConfig({ ...ids, reportSuiteId: 'x', timeZone: 'Mars/Olympus' })).toThrow(
      /config.timeZone: "Mars\/Olympus" is not an IANA time zone/,
    );
  });
});
