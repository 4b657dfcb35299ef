/**
 * What one client can hold of the server (issue 8, items 14 and 15), over loopback with low
 * configured caps so the test stays small: bodies are never read before the key is checked,
 * body bytes in memory are capped, connections per address are capped, and a request that
 * never finishes is cut off by the request timeout. 127.0.0.0/8 is all loopback on Linux, so
 * "another client" is another 127.x address.
 */
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

interface Held {
  socket: Socket;
  /** Everything the server sent, once it closed the connection (or `ms` passed). */
  answer(ms?: number): Promise<string>;
  /** The first whole answer (a JSON body), without waiting for the connection to close. */
  firstAnswer(): Promise<string>;
}

/** Opens a raw connection and sends `head` (and `body` bytes): a request whose body never finishes. */
function hold(server: TestServer, head: string, body = '', localAddress = '127.0.0.1'): Promise<Held> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress });
    let received = '';
    let closed = false;
    const done = new Promise<void>((end) => {
      socket.on('close', () => {
        closed = true;
        end();
      });
    });
    let answered: (text: string) => void = () => {};
    const first = new Promise<string>((r) => {
      answered = r;
    });
    socket.on('data', (chunk) => {
      received += chunk;
      if (/\r\n\r\n\{.*\}$/s.test(received)) answered(received);
    });
    socket.on('error', () => {});
    socket.on('connect', () => {
      socket.write(head + body);
      resolve({
        socket,
        async answer(ms = 5_000) {
          if (!closed) await Promise.race([done, new Promise((r) => setTimeout(r, ms))]);
          return received;
        },
        firstAnswer: () => first,
      });
    });
  });
}

const post = (path: string, length: number, headers: Record<string, string> = {}) =>
  `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${Object.entries(
    headers,
  )
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n`;

const statusOf = (answer: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);
const TEN_MB = 10 * 1024 * 1024;

describe('bodies are not read before the key is checked', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  });
  afterAll(() => server.close());

  it('60 unauthenticated 10 MB uploads are each answered 401 (404 for no route) after 64 KB, without waiting for the rest', async () => {
    const chunk = 'x'.repeat(64 * 1024);
    const cases = [
      ['/api/v1/events', {}],
      ['/api/v1/events', { Authorization: 'Bearer ot_unknownkeyunknownkeyunknownkey' }],
      ['/api/v1/otlp/v1/traces', { Authorization: 'Bearer not-ours' }],
      ['/api/mcp/mcp', {}],
      ['/api/v1/keys', { Cookie: 'ot_session=forged' }],
      ['/api/v1/no-such-route', {}],
    ] as const;
    const held = await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const [path, headers] = cases[i % cases.length] ?? cases[0];
        return hold(server, post(path, TEN_MB, headers), chunk);
      }),
    );
    const answers = await Promise.all(held.map((h) => h.firstAnswer()));
    for (const [i, answer] of answers.entries())
      expect(statusOf(answer)).toBe(i % cases.length === 5 ? 404 : 401);
    // Answered while the clients had sent 64 KB of their 10 MB: the body was never waited for.
    expect(held.every((h) => h.socket.bytesWritten < 100 * 1024)).toBe(true);
    // The rest is discarded for a short while only: an upload that keeps going is cut off.
    const cut = await Promise.all(held.map((h) => h.answer(5_000)));
    expect(held.every((h) => h.socket.destroyed)).toBe(true);
    expect(cut.every((a) => [401, 404].includes(statusOf(a)))).toBe(true);
  });

  it('a client that finishes its upload after a 401 keeps its connection for the next request', async () => {
    const body = 'x'.repeat(200 * 1024);
    const upload = await hold(server, post('/api/v1/events', body.length), body.slice(0, 1024));
    expect(statusOf(await upload.firstAnswer())).toBe(401);
    upload.socket.write(
      `${body.slice(1024)}GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
    );
    const both = await upload.answer();
    expect(both.match(/HTTP\/1\.1 \d{3}/g)).toEqual(['HTTP/1.1 401', 'HTTP/1.1 200']);
  });

  it('a refused body declared larger than any limit is not even discarded: the connection is closed', async () => {
    const upload = await hold(server, post('/api/v1/events', 50 * TEN_MB), 'x'.repeat(1024));
    const answer = await upload.answer();
    expect(statusOf(answer)).toBe(401);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
  });

  it('routes anyone may call (sign-in, setup, invites) refuse a 10 MB body with 413 before reading it', async () => {
    for (const path of [
      '/api/v1/session',
      '/api/v1/setup',
      '/api/v1/invites/accept',
      '/api/v1/invites/peek',
    ]) {
      const upload = await hold(server, post(path, TEN_MB), 'x'.repeat(1024));
      const answer = await upload.answer();
      expect(statusOf(answer)).toBe(413);
      expect(answer).toMatch(/request body: at most 64 KB here/);
      expect(upload.socket.bytesWritten).toBeLessThan(10 * 1024);
    }
  });
});

describe('body bytes in memory are capped across requests', () => {
  const BUDGET = 12 * 1024 * 1024;
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer('sqlite', { OPSTRAILS_MAX_BODY_BYTES_IN_FLIGHT: String(BUDGET) });
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server.close());

  const event = JSON.stringify({ specversion: '1.0', type: 'deployment', source: 'budget', time: 'NOW' });
  const big = event.padEnd(5 * 1024 * 1024, ' ');
  const auth = () => ({ Authorization: `Bearer ${key}` });

  it('past the cap a body is refused with 503 and Retry-After before it is read; finishing one makes room', async () => {
    const first = await hold(server, post('/api/v1/events', big.length, auth()), big.slice(0, 1024));
    const second = await hold(server, post('/api/v1/events', big.length, auth()), big.slice(0, 1024));
    await new Promise((r) => setTimeout(r, 200));
    const third = await hold(server, post('/api/v1/events', big.length, auth()));
    const refused = await third.firstAnswer();
    expect(statusOf(refused)).toBe(503);
    expect(refused).toMatch(/\r\nretry-after: 1\r\n/i);
    expect(refused).toMatch(
      /request body: the server is already holding 12 MB of request bodies; retry in a second/,
    );

    first.socket.write(big.slice(1024));
    expect(statusOf(await first.firstAnswer())).toBe(201);
    const fourth = await hold(server, post('/api/v1/events', big.length, auth()), big);
    expect(statusOf(await fourth.firstAnswer())).toBe(201);
    for (const h of [first, second, third, fourth]) h.socket.destroy();
  });

  it('a compressed body reserves what it may inflate to, not its compressed size', async () => {
    const held = await hold(server, post('/api/v1/events', big.length, auth()), big.slice(0, 1024));
    await new Promise((r) => setTimeout(r, 200));
    const gzipped = gzipSync(JSON.stringify({ resourceSpans: [] }));
    const otlp = () =>
      hold(server, post('/api/v1/otlp/v1/traces', gzipped.length, { ...auth(), 'Content-Encoding': 'gzip' }));
    const refused = await otlp();
    expect(statusOf(await refused.firstAnswer())).toBe(503);
    held.socket.destroy();
    await new Promise((r) => setTimeout(r, 200));
    const accepted = await otlp();
    accepted.socket.write(gzipped);
    expect(statusOf(await accepted.firstAnswer())).toBe(200);
    for (const h of [refused, accepted]) h.socket.destroy();
  });
});

describe('connections per address and the request timeout', () => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer('sqlite', {
      OPSTRAILS_MAX_CONNECTIONS_PER_ADDRESS: '50',
      OPSTRAILS_REQUEST_TIMEOUT_MS: '1500',
      OPSTRAILS_HEADERS_TIMEOUT_MS: '1000',
    });
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server.close());

  it('holds 50 never-finished bodies from one address, closes the other 150, and /healthz answers another client', async () => {
    const held = await Promise.all(
      Array.from({ length: 200 }, () =>
        hold(
          server,
          post('/api/v1/events', 1000, { Authorization: `Bearer ${key}` }),
          '{"specversion":',
          '127.0.0.7',
        ),
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    const cut = held.filter((h) => h.socket.destroyed);
    expect(cut).toHaveLength(150);
    const health = await hold(
      server,
      'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      '',
      '127.0.0.8',
    );
    expect(statusOf(await health.answer())).toBe(200);

    // The held ones are answered 408 once the request timeout passes, which frees the address.
    const answers = await Promise.all(held.filter((h) => !cut.includes(h)).map((h) => h.answer(4_000)));
    expect(answers.map(statusOf)).toEqual(new Array(50).fill(408));
    expect(answers[0]).toMatch(/request: not received in time/);
    const again = await hold(
      server,
      'GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
      '',
      '127.0.0.7',
    );
    expect(statusOf(await again.answer())).toBe(200);
  });

  it('a connection that never sends its headers is closed by the headers timeout', async () => {
    const silent = await hold(server, 'GET /healthz HTTP/1.1\r\nHost: loc', '', '127.0.0.9');
    const answer = await silent.answer(4_000);
    expect(silent.socket.destroyed).toBe(true);
    expect(statusOf(answer)).toBe(408);
  });
});
