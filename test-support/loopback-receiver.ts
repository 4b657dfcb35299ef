/**
 * A webhook receiver on 127.0.0.1 for outbox tests: records each request (idempotency key and
 * JSON body) and answers what the test says. And the sender a channel would be: POST the
 * payload as JSON with the delivery's idempotency key.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OutboxSender } from '@opstrails/server';

export interface Received {
  key: string;
  body: unknown;
}

export type Answer = (n: number) => { status: number; body: string };

export async function startReceiver() {
  const received: Received[] = [];
  const ok: Answer = () => ({ status: 200, body: 'ok' });
  let answer = ok;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ key: String(req.headers['idempotency-key']), body: JSON.parse(body) });
      const { status, body: out } = answer(received.length);
      res.writeHead(status, { 'content-type': 'text/plain' }).end(out);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    received,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    /** Answers the n-th request (1-based, counted since the last reset) with `f(n)`. */
    answerWith(f: Answer) {
      answer = f;
    },
    reset() {
      received.length = 0;
      answer = ok;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export const httpSender = (url: string, kind = 'test-webhook'): OutboxSender => ({
  kind,
  async send(delivery) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': delivery.idempotencyKey },
      body: JSON.stringify(delivery.payload),
      signal: delivery.signal,
    });
    return { ok: res.ok, answer: `${res.status} ${(await res.text()).slice(0, 200)}` };
  },
});
