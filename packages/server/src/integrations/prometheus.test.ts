/** The Prometheus provider's retries, timeouts and failure messages, against a loopback stand-in. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { escapePromQl, PrometheusProvider, prometheus } from './prometheus.js';
import { ProviderError, substitute } from './provider.js';

type Answer = { status: number; body: string; delayMs?: number };

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function stub(answers: (n: number, form: URLSearchParams, headers: Record<string, unknown>) => Answer) {
  let n = 0;
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      const a = answers(++n, new URLSearchParams(body), req.headers);
      setTimeout(
        () => res.writeHead(a.status, { 'content-type': 'application/json' }).end(a.body),
        a.delayMs ?? 0,
      );
    });
  });
  await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, calls: () => n };
}

const http = new OutboundHttpClient({ allow: [{ kind: 'host', name: '127.0.0.1' }] });
const matrix = (values: [number, string][]) =>
  JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } });
const provider = (url: string, timeoutMs = 2_000) =>
  new PrometheusProvider(prometheus.parseConfig({ url, bearerToken: 'tok' }), http, {
    backoffMs: 10,
    timeoutMs,
  });

describe('PrometheusProvider', () => {
  it('retries 5xx answers with backoff and reads the range on the step grid', async () => {
    let form = new URLSearchParams();
    const s = await stub((n, f, headers) => {
      form = f;
      expect(headers.authorization).toBe('Bearer tok');
      return n < 3
        ? { status: 503, body: 'overloaded' }
        : {
            status: 200,
            body: matrix([
              [120, '1.5'],
              [180, 'NaN'],
              [240, '2'],
            ]),
          };
    });
    const points = await provider(s.url).fetchSeries({
      query: 'up',
      from: 100_000,
      to: 300_000,
      stepSeconds: 60,
    });
    expect(s.calls()).toBe(3);
    expect(form.get('start')).toBe('120');
    expect(form.get('end')).toBe('240');
    expect(form.get('step')).toBe('60');
    // NaN is a gap, not a value.
    expect(points).toEqual([
      { time: 120_000, value: 1.5 },
      { time: 240_000, value: 2 },
    ]);
  });

  it('gives up after three attempts, quoting the last answer', async () => {
    const s = await stub(() => ({ status: 502, body: 'bad gateway' }));
    const failure = provider(s.url).fetchSeries({ query: 'up', from: 0, to: 60_000, stepSeconds: 60 });
    await expect(failure).rejects.toThrow(/Prometheus answered 502: bad gateway .*\(after 3 attempts\)/);
    expect(s.calls()).toBe(3);
  });

  it('does not retry a refused query, and quotes its error', async () => {
    const s = await stub(() => ({
      status: 400,
      body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5' }),
    }));
    await expect(
      provider(s.url).fetchSeries({ query: 'up(', from: 0, to: 60_000, stepSeconds: 60 }),
    ).rejects.toThrow('Prometheus answered 400: bad_data: parse error at char 5');
    expect(s.calls()).toBe(1);
  });

  it('times out a silent Prometheus and says so in the test outcome', async () => {
    const s = await stub(() => ({ status: 200, body: '{}', delayMs: 1_000 }));
    const outcome = await provider(s.url, 100).test();
    expect(outcome.ok).toBe(false);
    expect(outcome.message).toMatch(/no (complete )?answer in time/);
    expect(s.calls()).toBe(3);
  });

  it('reports a closed port as a network failure', async () => {
    const s = await stub(() => ({ status: 200, body: '{}' }));
    const url = s.url;
    await new Promise<void>((r) => server?.close(() => r()));
    server = undefined;
    await expect(
      provider(url).fetchSeries({ query: 'up', from: 0, to: 60_000, stepSeconds: 60 }),
    ).rejects.toBeInstanceOf(ProviderError);
  });
});

describe('Prometheus config', () => {
  it('masks secrets, keeps a mask sent back, and names a bad field', () => {
    const split = prometheus.parseConfig({
      url: 'https://prom.example.com/',
      basicAuth: { username: 'u', password: 'hunter2-secret' },
      headers: { 'X-Scope-OrgID': 'team-a' },
    });
    expect(split.plain.url).toBe('https://prom.example.com');
    expect(prometheus.describe(split)).toEqual({
      url: 'https://prom.example.com',
      basicAuth: { username: 'u', password: '••••cret' },
      // Too short to show any of it.
      headers: { 'X-Scope-OrgID': '••••' },
    });
    const again = prometheus.parseConfig(
      { url: 'https://prom.example.com', basicAuth: { username: 'u', password: '••••cret' } },
      split.secrets,
    );
    expect(again.secrets.basicAuthPassword).toBe('hunter2-secret');
    expect(() => prometheus.parseConfig({ url: 'ftp://x' })).toThrow(
      /config.url: must be an http or https URL/,
    );
    expect(() => prometheus.parseConfig({ url: 'http://x', token: 'a' })).toThrow(
      /config.token: is not a Prometheus setting/,
    );
    expect(() => prometheus.parseConfig({ url: 'http://u:p@x' })).toThrow(/must not carry credentials/);
  });

  it('escapes substituted values for a PromQL string', () => {
    expect(
      substitute('up{env="$subject",job="$source"}', { subject: 'a"b', source: 'c\\d' }, escapePromQl),
    ).toBe('up{env="a\\"b",job="c\\\\d"}');
  });
});
