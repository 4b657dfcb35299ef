/**
 * The frame of the local stand-ins for third-party services (fake-slack.ts, fake-pagerduty.ts,
 * …): an HTTP server on 127.0.0.1 that records every request and answers through the service's
 * own rules (paths, auth, body checks, its documented answers). A test can make the next answers
 * failures (`failNext`: a 500, or the service's 429 with its retry header) to exercise retries,
 * or leave them unanswered (`hangNext`).
 */
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  raw: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface FakeAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type FakeHandler = (req: FakeRequest) => FakeAnswer;

export async function startFake(handle: FakeHandler) {
  const all: FakeRequest[] = [];
  /** The requests the service accepted (answered 2xx). */
  const accepted: FakeRequest[] = [];
  const failures: FakeAnswer[] = [];
  /** Requests taken and never answered (a receiver that dies or stalls mid-request). */
  let hanging = 0;
  const held: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = raw ? JSON.parse(raw) : undefined;
      } catch {
        json = undefined;
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const request: FakeRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        raw,
        json,
      };
      all.push(request);
      if (hanging > 0) {
        hanging -= 1;
        held.push(res);
        return;
      }
      const answer = failures.shift() ?? handle(request);
      if (answer.status >= 200 && answer.status < 300) accepted.push(request);
      const body =
        answer.body === undefined
          ? ''
          : typeof answer.body === 'string'
            ? answer.body
            : JSON.stringify(answer.body);
      res
        .writeHead(answer.status, {
          'content-type': typeof answer.body === 'string' ? 'text/plain' : 'application/json',
          ...answer.headers,
        })
        .end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    all,
    accepted,
    /** The next `n` requests get `answer` whatever they hold. */
    failNext(n: number, answer: FakeAnswer) {
      for (let i = 0; i < n; i++) failures.push(answer);
    },
    /** The next `n` requests are read and never answered. */
    hangNext(n: number) {
      hanging += n;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Fake = Awaited<ReturnType<typeof startFake>>;

/** A JSON body's field, for checks: `field(req.json, 'payload', 'summary')`. */
export function field(value: unknown, ...path: string[]): unknown {
  let v = value;
  for (const p of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
  return v;
}
