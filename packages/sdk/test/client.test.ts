/** The SDK against a real server: sending, reading, errors, and the retry policy. */
import {
  AuthenticationError,
  ForbiddenError,
  NetworkError,
  NotFoundError,
  OpsTrailsClient,
  QuotaExceededError,
  TimeoutError,
  ValidationError,
} from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy, tooMany } from '../../../test-support/fault-proxy.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

/** Retries without the production delays, so the suite stays quick. */
const FAST = { initialDelayMs: 10, maxJitter: 0 };

describe.each(ENGINES)('OpsTrailsClient on %s', (engine) => {
  let server: TestServer;
  let client: OpsTrailsClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    client = new OpsTrailsClient({ apiKey: await server.key('READ_WRITE'), baseUrl: `${server.url}//` });
  });
  afterAll(() => server.close());

  it('trackEvent fills specversion and time NOW, and the event reads back', async () => {
    const before = Date.now();
    const sent = await client.trackEvent({
      type: 'deployment',
      source: 'BE',
      subject: 'PRODUCTION',
      severity: 'MAJOR',
      version: 'v1.2.3',
      data: { description: 'rolled out the new checkout' },
    });
    expect(sent).toMatchObject({ specversion: '1.0', type: 'deployment', source: 'BE', version: 'v1.2.3' });
    expect(Date.parse(sent.time)).toBeGreaterThanOrEqual(before - 1000);
    expect(await client.getEvent(sent.id)).toEqual(sent);
  });

  it('sendRawEvent sends the event as given', async () => {
    const sent = await client.sendRawEvent({
      specversion: '1.0',
      id: 'raw-1',
      type: 'db-migration',
      source: 'DB',
      time: 'Wed, 15 Jan 2025 14:30:00 +0200',
    });
    expect(sent).toMatchObject({ id: 'raw-1', time: '2025-01-15T12:30:00.000Z', subject: null });
  });

  it('sendBatch answers per item', async () => {
    const result = await client.sendBatch([
      { specversion: '1.0', type: 'release', source: 'FE', time: 'NOW', id: 'batch-ok' },
      { specversion: '1.0', source: 'FE', time: 'NOW' } as never,
    ]);
    expect(result.accepted.map((e) => e.id)).toEqual(['batch-ok']);
    expect(result.rejected).toEqual([
      { index: 1, error: expect.stringContaining('type'), code: 'VALIDATION_ERROR' },
    ]);
  });

  it('queryEvents walks every page, newest first, with the filters', async () => {
    for (let i = 0; i < 7; i++) {
      await client.sendRawEvent({
        specversion: '1.0',
        id: `page-${i}`,
        type: 'cache-purge',
        source: 'CACHE',
        time: new Date(Date.UTC(2026, 0, 1, 10, i)).toISOString(),
      });
    }
    const ids: string[] = [];
    for await (const event of client.queryEvents({ type: 'cache-purge', limit: 3 })) ids.push(event.id);
    expect(ids).toEqual(['page-6', 'page-5', 'page-4', 'page-3', 'page-2', 'page-1', 'page-0']);
    const page = await client.listEvents({ type: ['cache-purge'], limit: 2 });
    expect(page.events).toHaveLength(2);
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('exportEvents streams NDJSON or a JSON array, oldest first', async () => {
    const ndjson = await new Response(
      await client.exportEvents({ type: 'cache-purge', from: '2026-01-01T10:02:00Z' }),
    ).text();
    const lines = ndjson
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).id);
    expect(lines).toEqual(['page-2', 'page-3', 'page-4', 'page-5', 'page-6']);
    const json = await new Response(
      await client.exportEvents({ type: 'cache-purge', format: 'json' }),
    ).json();
    expect(json).toHaveLength(7);
  });

  it('maps failures to the error classes with the server message and code', async () => {
    const readOnly = new OpsTrailsClient({ apiKey: await server.key('READ_ONLY'), baseUrl: server.url });
    const unknown = new OpsTrailsClient({ apiKey: 'ot_unknown', baseUrl: server.url });
    const event = { type: 'deployment', source: 'BE' };
    await expect(unknown.trackEvent(event)).rejects.toMatchObject({
      constructor: AuthenticationError,
      code: 'UNAUTHORIZED',
      status: 401,
      statusCode: 401,
    });
    await expect(readOnly.trackEvent(event)).rejects.toMatchObject({
      constructor: ForbiddenError,
      code: 'FORBIDDEN',
    });
    await expect(client.trackEvent({ type: '', source: 'BE' })).rejects.toMatchObject({
      constructor: ValidationError,
      code: 'VALIDATION_ERROR',
      status: 400,
      message: expect.stringContaining('type'),
    });
    await expect(client.getEvent('no-such-event')).rejects.toMatchObject({
      constructor: NotFoundError,
      code: 'NOT_FOUND',
    });
  });

  it('throws QuotaExceededError with Retry-After when the plan quota is reached', async () => {
    const org = await server.store.organizations.create(`free-${engine}`, 'Free plan', 'free');
    const free = new OpsTrailsClient({
      apiKey: await server.key('READ_WRITE', org.id),
      baseUrl: server.url,
      retry: { maxRetries: 0 },
    });
    const hundred = Array.from({ length: 100 }, (_, i) => ({
      specversion: '1.0' as const,
      type: 'deployment',
      source: 'BE',
      time: 'NOW',
      id: `q-${i}`,
    }));
    expect((await free.sendBatch(hundred)).accepted).toHaveLength(100);
    const error = await free.trackEvent({ type: 'deployment', source: 'BE' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', status: 429 });
    expect((error as QuotaExceededError).retryAfter).toBeGreaterThan(0);
  });

  it('throws at once, with the reset time, when the quota resets later than maxRetryDelayMs', async () => {
    const org = await server.store.organizations.create(`free-wait-${engine}`, 'Free plan', 'free');
    const key = await server.key('READ_WRITE', org.id);
    const proxy = await startFaultProxy(server.url, () => 'forward');
    try {
      const free = new OpsTrailsClient({ apiKey: key, baseUrl: proxy.url, retry: FAST });
      const hundred = Array.from({ length: 100 }, (_, i) => ({
        specversion: '1.0' as const,
        type: 'deployment',
        source: 'BE',
        time: 'NOW',
        id: `w-${i}`,
      }));
      await free.sendBatch(hundred);
      const started = Date.now();
      const error = (await free.trackEvent({ type: 'deployment', source: 'BE' }).catch((e: unknown) => e)) as
        | QuotaExceededError
        | undefined;
      expect(error).toBeInstanceOf(QuotaExceededError);
      expect(proxy.count()).toBe(2);
      // The free plan's limit is per UTC day: it resets at the next midnight.
      const midnight = new Date(started);
      midnight.setUTCHours(24, 0, 0, 0);
      expect(Math.abs((error?.resetAt?.getTime() ?? 0) - midnight.getTime())).toBeLessThan(2_000);
    } finally {
      await proxy.close();
    }
  });

  it('hands on the warnings of the answer: a misspelt attribute kept as an extension', async () => {
    const sent = await client.sendRawEvent({
      specversion: '1.0',
      type: 'deployment',
      source: 'WARN',
      time: 'NOW',
      severty: 'MAJOR',
    });
    expect(sent.warnings).toEqual([expect.stringMatching(/^severty: .*did you mean severity\?/)]);
    const clean = await client.trackEvent({ type: 'deployment', source: 'WARN' });
    expect(clean.warnings).toBeUndefined();
    const batch = await client.sendBatch([
      { specversion: '1.0', type: 'deployment', source: 'WARN', time: 'NOW', subjet: 'PRODUCTION' },
    ]);
    expect(batch.accepted[0]?.warnings).toEqual([expect.stringMatching(/^subjet: .*did you mean subject\?/)]);
  });

  it('trackEvent takes time as a Date', async () => {
    const sent = await client.trackEvent({
      type: 'deployment',
      source: 'DATE-TIME',
      time: new Date('2025-06-01T08:15:00+02:00'),
    });
    expect(sent.time).toBe('2025-06-01T06:15:00.000Z');
  });

  describe('retries', () => {
    it('waits out a 429 with Retry-After in seconds, then succeeds', async () => {
      const proxy = await startFaultProxy(server.url, (n, _req, res) =>
        n === 1 ? tooMany(res, '1') : 'forward',
      );
      try {
        const retrying = new OpsTrailsClient({ apiKey: await server.key(), baseUrl: proxy.url, retry: FAST });
        const started = Date.now();
        const sent = await retrying.trackEvent({ type: 'deployment', source: 'RETRY-429' });
        expect(Date.now() - started).toBeGreaterThanOrEqual(950);
        expect(proxy.count()).toBe(2);
        expect(sent.source).toBe('RETRY-429');
      } finally {
        await proxy.close();
      }
    });

    it('honours Retry-After as an HTTP date', async () => {
      const proxy = await startFaultProxy(server.url, (n, _req, res) =>
        n === 1 ? tooMany(res, new Date(Date.now() + 1500).toUTCString()) : 'forward',
      );
      try {
        const retrying = new OpsTrailsClient({ apiKey: await server.key(), baseUrl: proxy.url, retry: FAST });
        expect((await retrying.trackEvent({ type: 'deployment', source: 'RETRY-DATE' })).source).toBe(
          'RETRY-DATE',
        );
        expect(proxy.count()).toBe(2);
      } finally {
        await proxy.close();
      }
    });

    it('throws a 429 at once when Retry-After is past maxRetryDelayMs', async () => {
      const proxy = await startFaultProxy(server.url, (_n, _req, res) => tooMany(res, '3600'));
      try {
        const retrying = new OpsTrailsClient({ apiKey: await server.key(), baseUrl: proxy.url, retry: FAST });
        const error = await retrying
          .trackEvent({ type: 'deployment', source: 'BE' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(QuotaExceededError);
        expect(error).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 3600 });
        expect(proxy.count()).toBe(1);
      } finally {
        await proxy.close();
      }
    });

    it('retryQuotaExceeded: false fails a QUOTA_EXCEEDED at once, and RATE_LIMITED is still retried', async () => {
      const quota = await startFaultProxy(server.url, (_n, _req, res) => {
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(
          JSON.stringify({ success: false, error: 'daily event limit reached', code: 'QUOTA_EXCEEDED' }),
        );
        return 'handled';
      });
      const rate = await startFaultProxy(server.url, (n, _req, res) =>
        n === 1 ? tooMany(res, '0') : 'forward',
      );
      try {
        const failFast = { ...FAST, retryQuotaExceeded: false };
        const onQuota = new OpsTrailsClient({
          apiKey: await server.key(),
          baseUrl: quota.url,
          retry: failFast,
        });
        await expect(onQuota.trackEvent({ type: 'deployment', source: 'BE' })).rejects.toMatchObject({
          constructor: QuotaExceededError,
          code: 'QUOTA_EXCEEDED',
        });
        expect(quota.count()).toBe(1);
        const onRate = new OpsTrailsClient({
          apiKey: await server.key(),
          baseUrl: rate.url,
          retry: failFast,
        });
        expect((await onRate.trackEvent({ type: 'deployment', source: 'RATE' })).source).toBe('RATE');
        expect(rate.count()).toBe(2);
      } finally {
        await quota.close();
        await rate.close();
      }
    });

    it('retries 5xx with backoff', async () => {
      const proxy = await startFaultProxy(server.url, (n, _req, res) => {
        if (n > 2) return 'forward';
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"success":false,"error":"down"}');
        return 'handled';
      });
      try {
        const retrying = new OpsTrailsClient({ apiKey: await server.key(), baseUrl: proxy.url, retry: FAST });
        await retrying.trackEvent({ type: 'deployment', source: 'RETRY-503' });
        expect(proxy.count()).toBe(3);
      } finally {
        await proxy.close();
      }
    });

    it('retries a dropped connection, and the lost answer does not duplicate the event', async () => {
      const proxy = await startFaultProxy(server.url, (n) => (n === 1 ? 'lose-answer' : 'forward'));
      try {
        const retrying = new OpsTrailsClient({ apiKey: await server.key(), baseUrl: proxy.url, retry: FAST });
        const sent = await retrying.trackEvent({ type: 'deployment', source: 'RETRY-DROP' });
        expect(proxy.count()).toBe(2);
        const stored = await client.listEvents({ source: 'RETRY-DROP' });
        expect(stored.events.map((e) => e.id)).toEqual([sent.id]);
      } finally {
        await proxy.close();
      }
    });

    it('never retries a 400', async () => {
      const proxy = await startFaultProxy(server.url, () => 'forward');
      try {
        const retrying = new OpsTrailsClient({ apiKey: await server.key(), baseUrl: proxy.url, retry: FAST });
        await expect(
          retrying.sendRawEvent({
            specversion: '1.0',
            type: 'deployment',
            source: 'BE',
            time: '2025-01-15T14:30:00',
          }),
        ).rejects.toMatchObject({ constructor: ValidationError, message: expect.stringContaining('time') });
        expect(proxy.count()).toBe(1);
      } finally {
        await proxy.close();
      }
    });

    it('gives up with NetworkError or TimeoutError after maxRetries', async () => {
      const silent = await startFaultProxy(server.url, () => 'handled');
      const closed = await startFaultProxy(server.url, () => 'forward');
      await closed.close();
      try {
        const slow = new OpsTrailsClient({
          apiKey: 'ot_x',
          baseUrl: silent.url,
          timeout: 100,
          retry: { ...FAST, maxRetries: 1 },
        });
        await expect(slow.trackEvent({ type: 'deployment', source: 'BE' })).rejects.toMatchObject({
          constructor: TimeoutError,
          code: 'TIMEOUT',
        });
        expect(silent.count()).toBe(2);
        const down = new OpsTrailsClient({
          apiKey: 'ot_x',
          baseUrl: closed.url,
          retry: { ...FAST, maxRetries: 1 },
        });
        await expect(down.trackEvent({ type: 'deployment', source: 'BE' })).rejects.toMatchObject({
          constructor: NetworkError,
          code: 'NETWORK_ERROR',
        });
      } finally {
        await silent.close();
      }
    });
  });
});

describe('OpsTrailsClient options', () => {
  it('has the hosted SDK defaults and requires apiKey', () => {
    const client = new OpsTrailsClient({ apiKey: 'ot_x' });
    expect(client.baseUrl).toBe('https://api.opstrails.dev');
    expect(client.timeout).toBe(30_000);
    expect(client.retry).toEqual({
      maxRetries: 3,
      initialDelayMs: 1000,
      backoffMultiplier: 2,
      maxJitter: 0.25,
      maxRetryDelayMs: 60_000,
      retryQuotaExceeded: true,
    });
    expect(new OpsTrailsClient({ apiKey: 'ot_x', baseUrl: 'http://h:1///' }).baseUrl).toBe('http://h:1');
    const partial = new OpsTrailsClient({
      apiKey: 'ot_x',
      retry: { maxRetries: 1, maxRetryDelayMs: undefined },
    });
    expect(partial.retry).toMatchObject({ maxRetries: 1, maxRetryDelayMs: 60_000 });
    expect(() => new OpsTrailsClient({} as never)).toThrow(/apiKey is required/);
  });
});
