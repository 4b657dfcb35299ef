/** The Sentry connector against a loopback server speaking the sessions (release health) API. */
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeSentrySessions } from '../../../../test-support/fake-sentry-sessions.js';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { substitute } from './provider.js';
import { SentryProvider, sentry } from './sentry.js';

const http = new OutboundHttpClient({ allow: [{ kind: 'host', name: '127.0.0.1' }] });
const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 12, 0);
const points = [0, 1, 2, 3].map((i) => ({ time: T0 + i * MIN, value: 0.99 - i * 0.01 }));
let fake: Awaited<ReturnType<typeof startFakeSentrySessions>>;
afterEach(() => fake?.close());

const provider = (authToken = 'sntrys_good', timeoutMs = 2_000) =>
  new SentryProvider(
    sentry.parseConfig({ authToken, organization: 'acme', project: '42', apiBaseUrl: fake.base }),
    http,
    { backoffMs: 10, timeoutMs, maxRateWaitMs: 2_000 },
  );
const read = (
  p: SentryProvider,
  query = 'crash_free_rate(session) environment:production',
  stepSeconds = 60,
) => p.fetchSeries({ query, from: T0, to: T0 + 4 * MIN, stepSeconds });

describe('SentryProvider', () => {
  it('asks for the field at the step over start..end and reads each interval', async () => {
    fake = await startFakeSentrySessions('sntrys_good', 'acme', points);
    const series = await read(provider());
    expect(series.map((p) => p.time)).toEqual(points.map((p) => p.time));
    expect(series.map((p) => p.value)).toEqual(points.map((p) => p.value));
    const q = fake.accepted[0]?.query;
    expect(Object.fromEntries(q ?? [])).toEqual({
      field: 'crash_free_rate(session)',
      interval: '1m',
      start: new Date(T0).toISOString(),
      end: new Date(T0 + 4 * MIN).toISOString(),
      query: 'environment:production',
      project: '42',
    });
    const hourly = await provider().fetchSeries({
      query: 'sum(session)',
      from: T0,
      to: T0 + 4 * MIN,
      stepSeconds: 3600,
    });
    expect(fake.accepted[1]?.query.get('interval')).toBe('1h');
    expect(hourly).toEqual([{ time: T0, value: (0.99 + 0.98 + 0.97 + 0.96) / 4 }]);
  });

  it('leaves intervals without sessions out', async () => {
    fake = await startFakeSentrySessions('sntrys_good', 'acme', []);
    expect(await read(provider())).toEqual([]);
  });

  it('quotes Sentry on a bad token and an unknown field', async () => {
    fake = await startFakeSentrySessions('sntrys_good', 'acme', points);
    await expect(read(provider('sntrys_bad'))).rejects.toThrow(
      /^Sentry refused the credentials \(401: Invalid token\); check authToken/,
    );
    await expect(read(provider(), 'crash_free_rate(release)')).rejects.toThrow(
      'Sentry answered 400: Invalid field: "crash_free_rate(release)"',
    );
    expect(fake.all).toHaveLength(2);
  });

  it('waits out a short Retry-After and fails a long one saying when', async () => {
    fake = await startFakeSentrySessions('sntrys_good', 'acme', points);
    fake.failNext(1, fake.rateLimited(1));
    expect(await read(provider())).toHaveLength(4);
    expect(fake.all).toHaveLength(2);
    fake.failNext(1, fake.rateLimited(90));
    await expect(read(provider())).rejects.toThrow(
      /^Sentry rate limit reached \(429: You are attempting to use this endpoint too frequently.*\); it resets in 90 s; try again then$/,
    );
  });

  it('retries 5xx answers and times out a silent server', async () => {
    fake = await startFakeSentrySessions('sntrys_good', 'acme', points);
    fake.failNext(3, { status: 502, body: '<html>Bad Gateway</html>' });
    await expect(read(provider())).rejects.toThrow(
      'Sentry answered 502: <html>Bad Gateway</html> (after 3 attempts)',
    );
    fake.hangNext(3);
    await expect(read(provider('sntrys_good', 200))).rejects.toThrow(
      /^Sentry did not answer: .*\(after 3 attempts\)/,
    );
  });

  it('tests by reading the organization', async () => {
    fake = await startFakeSentrySessions('sntrys_good', 'acme', points);
    expect(await provider().test()).toEqual({
      ok: true,
      message: `Sentry at ${fake.base} answered for the organization acme Inc`,
    });
    expect((await provider('sntrys_bad').test()).message).toContain('Sentry refused the credentials (401');
  });
});

describe('Sentry config', () => {
  it('needs a token and an organization slug; project is the numeric id', () => {
    const split = sentry.parseConfig({
      authToken: 'sntrys_abcdefgh',
      organization: 'acme',
      url: 'https://sentry.acme.dev/',
    });
    expect(sentry.describe(split)).toEqual({
      authToken: '••••efgh',
      organization: 'acme',
      url: 'https://sentry.acme.dev',
    });
    expect(() => sentry.parseConfig({ authToken: 'a', organization: 'acme', project: 'web' })).toThrow(
      /config.project: "web" must be the numeric project id/,
    );
    expect(() => sentry.parseConfig({ authToken: 'a' })).toThrow(
      /config.organization: is required for Sentry/,
    );
    expect(substitute('environment:$subject', { subject: 'eu west', source: '' }, sentry.escapeValue)).toBe(
      'environment:"eu west"',
    );
  });
});
