/**
 * The issue 8 attacks at full scale against the built server in its own process (SQLite), over
 * loopback (127.0.0.0/8, so each "client address" is another 127.x source address):
 * - 19,000 never-finished POST bodies from one address, then from 38 addresses (500 each, the
 *   default cap): how many the server holds, `/healthz` latency from yet another address, RSS,
 *   and how long until the request timeout has answered and freed them all;
 * - 400 concurrent 10 MB uploads without a key, then with one: answers, bytes the clients got to
 *   send, the server's peak RSS;
 * - one OTLP request of 60,000 spans (gzip).
 * The load generator holds at most 19,000 sockets: this machine allows a process 20,000 files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fmt, percentile, writeSection } from './lib/results.js';
import { createKey, type ServerProcess, startServerProcess } from './lib/server-process.js';

const HELD = 19_000;
const PER_ADDRESS = 500;
const UPLOADS = 400;
const TEN_MB = 10 * 1024 * 1024;
const REQUEST_TIMEOUT_MS = 15_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Conn {
  socket: Socket;
  answer: Promise<string>;
}

function open(
  url: string,
  localAddress: string,
  payload: string | Buffer,
  onConnect?: (s: Socket) => void,
): Promise<Conn> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), localAddress });
    let received = '';
    const answer = new Promise<string>((done) => socket.on('close', () => done(received)));
    socket.on('data', (c) => {
      received += c;
    });
    socket.on('error', () => {});
    socket.on('connect', () => {
      socket.write(payload);
      onConnect?.(socket);
      resolve({ socket, answer });
    });
    socket.once('close', () => resolve({ socket, answer }));
  });
}

const head = (path: string, length: number, key?: string) =>
  `POST ${path} HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\n${
    key ? `Authorization: Bearer ${key}\r\n` : ''
  }\r\n`;
const statusOf = (answer: string) => /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 'closed';

async function healthz(url: string, samples = 20): Promise<{ p50: number; max: number; failed: number }> {
  const times: number[] = [];
  let failed = 0;
  for (let i = 0; i < samples; i++) {
    const started = performance.now();
    const c = await open(
      url,
      '127.0.9.9',
      'GET /healthz HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n',
    );
    const answer = await Promise.race([c.answer, sleep(5_000).then(() => '')]);
    if (statusOf(answer) === '200') times.push(performance.now() - started);
    else failed++;
    c.socket.destroy();
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), max: times.at(-1) ?? Number.NaN, failed };
}

const count = (answers: string[]) => {
  const by = new Map<string, number>();
  for (const a of answers) by.set(statusOf(a), (by.get(statusOf(a)) ?? 0) + 1);
  return [...by].map(([s, n]) => `${fmt(n)} × ${s}`).join(', ');
};

const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-hardening-'));
const key = createKey(dataDir);
const rows: string[] = [];
/** Each attack gets a fresh server process, so its memory figures are its own. */
async function withServer(work: (server: ServerProcess) => Promise<void>): Promise<void> {
  const server = await startServerProcess(dataDir, {
    OPSTRAILS_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
  });
  try {
    await work(server);
  } finally {
    await server.stop();
  }
}

try {
  for (const addresses of [1, HELD / PER_ADDRESS]) {
    await withServer(async (server) => {
      const conns: Conn[] = [];
      for (let i = 0; i < HELD; i += 500) {
        conns.push(
          ...(await Promise.all(
            Array.from({ length: 500 }, (_, j) =>
              open(
                server.url,
                `127.0.${1 + ((i + j) % addresses)}.1`,
                `${head('/api/v1/events', 1000, key)}{"specversion":`,
              ),
            ),
          )),
        );
      }
      const opened = performance.now();
      const health = await healthz(server.url);
      const rss = server.memory().rssMiB;
      const answers = await Promise.all(conns.map((c) => c.answer));
      const freed = (performance.now() - opened) / 1000;
      const timedOut = answers.filter((a) => statusOf(a) === '408').length;
      rows.push(
        `| ${fmt(HELD)} never-finished bodies from ${addresses} address(es) | ${fmt(timedOut)} held until the request timeout (408), ${fmt(HELD - timedOut)} closed at once | \`/healthz\` from another address: p50 ${fmt(health.p50, 1)} ms, max ${fmt(health.max, 1)} ms, ${health.failed} of 20 failed | RSS ${fmt(rss)} MiB | all freed ${fmt(freed, 1)} s after the last opened |`,
      );
    });
  }

  for (const withKey of [false, true]) {
    await withServer(async (server) => {
      const body = Buffer.alloc(TEN_MB, 0x20);
      body.write('{"specversion":"1.0","type":"bench","source":"bench","id":"big","time":"NOW"}');
      const started = performance.now();
      const answeredAfter: number[] = [];
      const conns = await Promise.all(
        Array.from({ length: UPLOADS }, () =>
          open(server.url, '127.0.200.1', head('/api/v1/events', TEN_MB, withKey ? key : undefined), (s) => {
            s.write(body);
            // Once answered, the client stops uploading, as an HTTP client does.
            s.once('data', () => {
              answeredAfter.push(performance.now() - started);
              setTimeout(() => s.destroy(), 50);
            });
          }),
        ),
      );
      const answers = await Promise.all(conns.map((c) => c.answer));
      answeredAfter.sort((a, b) => a - b);
      rows.push(
        `| ${UPLOADS} concurrent 10 MB uploads ${withKey ? 'with' : 'without'} a key | ${count(answers)} | answered after p50 ${fmt(percentile(answeredAfter, 50) / 1000, 1)} s, last ${fmt((answeredAfter.at(-1) ?? Number.NaN) / 1000, 1)} s | peak RSS ${fmt(server.memory().peakMiB)} MiB | |`,
      );
    });
  }

  await withServer(async (server) => {
    const spans = Array.from({ length: 60_000 }, (_, i) => ({
      traceId: '0af7651916cd43dd8448eb211c80319c',
      spanId: (i + 1).toString(16).padStart(16, '0'),
      name: 'GET /',
      startTimeUnixNano: `${BigInt(Date.now()) * 1_000_000n}`,
    }));
    const gz = gzipSync(
      JSON.stringify({
        resourceSpans: [
          {
            resource: { attributes: [{ key: 'service.name', value: { stringValue: 'bench' } }] },
            scopeSpans: [{ spans }],
          },
        ],
      }),
    );
    const started = performance.now();
    const res = await fetch(`${server.url}/api/v1/otlp/v1/traces`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${key}`,
        'content-type': 'application/json',
        'content-encoding': 'gzip',
      },
      body: gz,
    });
    await res.arrayBuffer();
    rows.push(
      `| one OTLP request of 60,000 spans (${fmt(gz.length / 1024)} KB gzip) | ${res.status}, nothing stored | in ${fmt(performance.now() - started)} ms | peak RSS ${fmt(server.memory().peakMiB)} MiB | |`,
    );
  });
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

writeSection(
  'hardening',
  `## Hardening: what one client can hold

\`npx tsc --build && npm run bench -- hardening\`: the built server (SQLite, default limits except
\`OPSTRAILS_REQUEST_TIMEOUT_MS=${REQUEST_TIMEOUT_MS}\`) in its own process; the load generator sends over
loopback from several 127.x source addresses (one "client" each), a fresh server per row.
Never-finished bodies send their headers (with a key) and 15 bytes of a 1,000-byte body, then
nothing. Before the fixes of issue 8, 20,000 such bodies used up the server's file descriptors
(\`/healthz\` refused) and 400 unauthenticated 10 MB uploads took it to 3.4 GB RSS.

| attack | server | meanwhile | memory | afterwards |
| --- | --- | --- | --- | --- |
${rows.join('\n')}`,
);
