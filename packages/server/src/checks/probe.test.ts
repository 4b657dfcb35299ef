import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fake, startFake } from '../../../../test-support/fake-service.js';
import { parseAllowList } from '../outbound/address-policy.js';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { judgeAnswer, probe } from './probe.js';

const check = { url: '', method: 'GET', expectedStatus: null, expectedBody: null, timeoutSeconds: 5 };

describe('judgeAnswer', () => {
  it('takes any 2xx by default, or exactly the status asked for, and the body text', () => {
    expect(judgeAnswer(check, 204, '')).toBeNull();
    expect(judgeAnswer(check, 301, '')).toBe('HTTP 301 (expected 2xx)');
    expect(judgeAnswer({ ...check, expectedStatus: 418 }, 418, '')).toBeNull();
    expect(judgeAnswer({ ...check, expectedStatus: 200 }, 201, '')).toBe('HTTP 201 (expected 200)');
    expect(judgeAnswer({ ...check, expectedBody: '"ok"' }, 200, '{"status":"ok"}')).toBeNull();
    expect(judgeAnswer({ ...check, expectedBody: 'ok' }, 200, 'degraded')).toBe(
      'HTTP 200, but the body does not contain "ok"',
    );
  });
});

describe('probe over loopback', () => {
  let fake: Fake;
  const http = new OutboundHttpClient({ allow: parseAllowList('127.0.0.1') });
  beforeAll(async () => {
    fake = await startFake((req) =>
      req.path === '/moved'
        ? { status: 302, headers: { location: '/health' } }
        : { status: 200, body: 'all ok' },
    );
  });
  afterAll(() => fake.close());

  it('passes with the method asked, following a redirect, and times the answer', async () => {
    const out = await probe(
      http,
      { ...check, url: `${fake.base}/moved`, method: 'HEAD', expectedStatus: 200 },
      1_000,
    );
    expect(out).toMatchObject({ error: null, result: { at: 1_000, ok: true, status: 200 } });
    expect(out.result.ms).toBeGreaterThanOrEqual(0);
    expect(fake.all.slice(-2).map((r) => `${r.method} ${r.path}`)).toEqual(['HEAD /moved', 'HEAD /health']);
  });

  it('fails a 5xx, a missing body text and an answer that never comes, saying why', async () => {
    fake.failNext(1, { status: 500, body: 'boom' });
    expect((await probe(http, { ...check, url: `${fake.base}/health` }, 0)).error).toBe(
      'HTTP 500 (expected 2xx)',
    );
    expect(
      (await probe(http, { ...check, url: `${fake.base}/health`, expectedBody: 'ready' }, 0)).error,
    ).toBe('HTTP 200, but the body does not contain "ready"');
    fake.hangNext(1);
    const hung = await probe(http, { ...check, url: `${fake.base}/health`, timeoutSeconds: 1 }, 0);
    expect(hung.result).toMatchObject({ ok: false, status: 0 });
    expect(hung.error).toContain('no complete answer in time');
  });

  it('refuses an address the policy does not allow, naming the setting', async () => {
    const strict = new OutboundHttpClient({ allow: [] });
    const out = await probe(strict, { ...check, url: `${fake.base}/health` }, 0);
    expect(out.result).toMatchObject({ ok: false, status: 0 });
    expect(out.error).toContain('OPSTRAILS_ALLOW_PRIVATE_TARGETS');
    expect(fake.all.filter((r) => r.path === '/health' && r.method === 'GET')).toHaveLength(3);
  });
});
