/**
 * OPSTRAILS_RATE_LIMIT: requests per second per key (per address without one), 429 RATE_LIMITED
 * with Retry-After; on PostgreSQL one budget shared by every instance on the database.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, PG_URL, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { loadConfig, type RunningServer, startServer } from '../src/index.js';

const LIMIT = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Fires `urls` at once, starting just after a second begins; retries until the burst fits in one second. */
async function burstInOneWindow(urls: string[], key?: string): Promise<Response[]> {
  for (let attempt = 0; attempt < 5; attempt++) {
    await sleep(1_000 - (Date.now() % 1_000) + 20);
    const start = Date.now();
    const answers = await Promise.all(
      urls.map((url) => fetch(url, key ? { headers: { authorization: `Bearer ${key}` } } : {})),
    );
    if (Math.floor(Date.now() / 1_000) === Math.floor(start / 1_000)) return answers;
  }
  throw new Error('the machine is too slow to send a burst within one second');
}

describe.each(ENGINES)('rate limit on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine, { OPSTRAILS_RATE_LIMIT: String(LIMIT) });
  }, 60_000);
  afterAll(() => server.close());

  it('a key gets LIMIT requests a second, then 429 RATE_LIMITED with Retry-After; another key and /healthz are untouched', async () => {
    const key = await server.key('READ_ONLY');
    const answers = await burstInOneWindow(Array(LIMIT + 3).fill(`${server.url}/api/v1/events?limit=1`), key);
    expect(answers.filter((a) => a.status === 200)).toHaveLength(LIMIT);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(3);
    expect(refused[0]?.headers.get('retry-after')).toBe('1');
    expect(await refused[0]?.json()).toMatchObject({
      success: false,
      code: 'RATE_LIMITED',
      error: expect.stringContaining('this API key may send 3 per second (OPSTRAILS_RATE_LIMIT)'),
    });
    const other = await server.key('READ_ONLY');
    expect((await server.api('/api/v1/events?limit=1', { key: other })).status).toBe(200);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    await sleep(1_100);
    expect((await server.api('/api/v1/events?limit=1', { key })).status).toBe(200);
  }, 60_000);

  it('requests without a key count per client address', async () => {
    const answers = await burstInOneWindow(Array(LIMIT + 2).fill(`${server.url}/api/v1/setup`));
    expect(answers.filter((a) => a.status === 429)).toHaveLength(2);
    const body = (await answers.find((a) => a.status === 429)?.json()) as { error: string };
    expect(body.error).toContain('address 127.0.0.1 may send 3 per second');
  }, 60_000);
});

describe.skipIf(!PG_URL)('rate limit across two instances on one PostgreSQL', () => {
  let first: TestServer;
  let second: RunningServer;
  beforeAll(async () => {
    first = await startTestServer('postgres', { OPSTRAILS_RATE_LIMIT: String(LIMIT) });
    const options = new URL(first.storeEnv.DATABASE_URL as string).searchParams.get('options') ?? '';
    const schema = /search_path=(\S+)/.exec(options)?.[1];
    const config = loadConfig(
      { OPSTRAILS_LOG_LEVEL: 'silent', OPSTRAILS_RATE_LIMIT: String(LIMIT) },
      { host: '127.0.0.1', port: 0, dataDir: first.dataDir, databaseUrl: PG_URL },
    );
    second = await startServer(config, { pgSchema: schema, poolSize: 2 });
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
  });

  it('one key gets LIMIT requests a second in total, whichever instance each goes to', async () => {
    const key = await first.key('READ_ONLY');
    const urls = [first.url, second.url, first.url, second.url, first.url, second.url].map(
      (base) => `${base}/api/v1/events?limit=1`,
    );
    const answers = await burstInOneWindow(urls, key);
    // Each instance alone got 3 requests, within its own limit: only a shared count refuses any.
    expect(answers.filter((a) => a.status === 200)).toHaveLength(LIMIT);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(urls.length - LIMIT);
  }, 60_000);
});
