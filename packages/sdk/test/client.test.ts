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
      statusCode: 401,
    });
    await expect(readOnly.trackEvent(event)).rejects.toMatchObject({
      constructor: ForbiddenError,
      code: 'FORBIDDEN',
    });
    await expect(client.trackEvent({ type: '', source: 'BE' })).rejects.toMatchObject({
      constructor: ValidationError,
      code: 'VALIDATION_ERROR',
      statusCode: 400,
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
    expect(error).toMatchObject({ code: 'QUOTA_EXCEEDED', statusCode: 429 });
    expect((error as QuotaExceededError).retryAfter).toBeGreaterThan(0);
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
    });
    expect(new OpsTrailsClient({ apiKey: 'ot_x', baseUrl: 'http://h:1///' }).baseUrl).toBe('http://h:1');
    expect(() => new OpsTrailsClient({} as never)).toThrow(/apiKey is required/);
  });
});
