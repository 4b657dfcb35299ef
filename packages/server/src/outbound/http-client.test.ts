/**
 * The outbound HTTP client end to end, against loopback servers only: the policy allows loopback
 * where a test needs it, and a refused target is refused before any connection is made.
 */
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loopbackCert } from '../../../../test-support/loopback-tls.js';
import { parseAllowList } from './address-policy.js';
import { OutboundError, OutboundHttpClient } from './http-client.js';

let server: Server;
let base: string;
let connections = 0;
const seen: { path: string; agent?: string; authorization?: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({
      path: req.url ?? '',
      agent: req.headers['user-agent'],
      authorization: req.headers.authorization,
    });
    const port = (server.address() as AddressInfo).port;
    if (req.url === '/doc') return res.end('{"ok":true}');
    if (req.url === '/hop') return res.writeHead(302, { location: '/doc' }).end();
    if (req.url === '/loop') return res.writeHead(302, { location: '/loop' }).end();
    if (req.url === '/elsewhere')
      return res.writeHead(307, { location: `http://127.0.0.2:${port}/doc` }).end();
    if (req.url === '/big') return res.end('x'.repeat(5000));
    if (req.url === '/big-chunked') {
      res.write('x'.repeat(3000));
      return res.end('x'.repeat(3000));
    }
    if (req.url === '/slow') return; // never answers
    res.writeHead(404).end();
  });
  server.on('connection', () => {
    connections++;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const allowLoopback = new OutboundHttpClient({ allow: parseAllowList('127.0.0.1'), timeoutMs: 2_000 });

async function failure(promise: Promise<unknown>): Promise<OutboundError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OutboundError) return error;
    throw error;
  }
  throw new Error('expected the request to fail');
}

describe('OutboundHttpClient', () => {
  it('fetches an allowed loopback target with its User-Agent, following a redirect', async () => {
    const res = await allowLoopback.request(`${base}/hop`);
    expect(res.status).toBe(200);
    expect(res.url).toBe(`${base}/doc`);
    expect(JSON.parse(res.body.toString())).toEqual({ ok: true });
    expect(seen.at(-1)?.agent).toMatch(/^OpsTrails/);
  });

  it('refuses loopback before connecting when the policy is on (empty allow list)', async () => {
    const before = connections;
    const error = await failure(new OutboundHttpClient({ allow: [] }).request(`${base}/doc`));
    expect(error.reason).toBe('refused');
    expect(error.message).toContain('127.0.0.1 is a loopback address');
    expect(error.message).toContain('OPSTRAILS_ALLOW_PRIVATE_TARGETS');
    const byName = await failure(
      new OutboundHttpClient({ allow: [] }).request(base.replace('127.0.0.1', 'localhost')),
    );
    expect(byName.reason).toBe('refused');
    expect(connections).toBe(before);
  });

  it('judges every redirect target again: a hop to a loopback address not on the list is refused', async () => {
    const before = seen.length;
    const error = await failure(
      allowLoopback.request(`${base}/elsewhere`, { headers: { Authorization: 'x' } }),
    );
    expect(error.reason).toBe('refused');
    expect(error.message).toContain('127.0.0.2 is a loopback address');
    expect(seen.length).toBe(before + 1);
  });

  it('stops after the redirect limit', async () => {
    const error = await failure(allowLoopback.request(`${base}/loop`, { maxRedirects: 2 }));
    expect(error.reason).toBe('redirects');
  });

  it('caps the body by Content-Length and while streaming', async () => {
    expect((await failure(allowLoopback.request(`${base}/big`, { maxBytes: 4096 }))).reason).toBe(
      'too-large',
    );
    expect((await failure(allowLoopback.request(`${base}/big-chunked`, { maxBytes: 4096 }))).reason).toBe(
      'too-large',
    );
    expect((await allowLoopback.request(`${base}/big`, { maxBytes: 8192 })).body.length).toBe(5000);
  });

  it('times out a target that never answers', async () => {
    const error = await failure(allowLoopback.request(`${base}/slow`, { timeoutMs: 300 }));
    expect(error.reason).toBe('timeout');
  });

  it('fetches only http and https URLs', async () => {
    expect((await failure(allowLoopback.request('file:///etc/passwd'))).reason).toBe('url');
    expect((await failure(allowLoopback.request('not a url'))).reason).toBe('url');
  });
});

describe('OutboundHttpClient over https', () => {
  it('trusts a private CA only when given it (OPSTRAILS_OUTBOUND_CA_FILE)', async () => {
    const tls = loopbackCert();
    const secure = createTlsServer({ cert: tls.cert, key: tls.key }, (_req, res) => res.end('secret'));
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(secure.address() as AddressInfo).port}/`;
    try {
      const untrusted = await failure(allowLoopback.request(url));
      expect(untrusted.reason).toBe('network');
      const trusting = new OutboundHttpClient({ allow: parseAllowList('127.0.0.1'), extraCa: tls.cert });
      expect((await trusting.request(url)).body.toString()).toBe('secret');
    } finally {
      secure.closeAllConnections();
      await new Promise((resolve) => secure.close(resolve));
      tls.remove();
    }
  });
});
