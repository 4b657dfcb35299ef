/**
 * A small HTTP server in front of a real OpsTrails server that misbehaves on chosen requests
 * (answers 429 / 503 itself, drops the connection, never answers) and forwards the others.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What to do with request number `n` (1-based): 'forward' it, 'handled' (the fault answered
 * itself), or 'lose-answer': forward it, then drop the connection instead of answering.
 */
export type Fault = (
  n: number,
  req: IncomingMessage,
  res: ServerResponse,
) => 'forward' | 'handled' | 'lose-answer';

export interface FaultProxy {
  url: string;
  /** Requests seen so far. */
  count(): number;
  close(): Promise<void>;
}

export async function startFaultProxy(target: string, fault: Fault): Promise<FaultProxy> {
  let seen = 0;
  const server = createServer(async (req, res) => {
    seen += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const action = fault(seen, req, res);
    if (action === 'handled') return;
    const headers = new Headers();
    for (const name of ['authorization', 'content-type', 'last-event-id']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    if (action === 'lose-answer') {
      await answer.arrayBuffer();
      req.socket.destroy();
      return;
    }
    const retryAfter = answer.headers.get('retry-after');
    res.writeHead(answer.status, {
      'content-type': answer.headers.get('content-type') ?? 'application/json',
      ...(retryAfter === null ? {} : { 'retry-after': retryAfter }),
    });
    res.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers like the server does when a quota or rate limit is hit. */
export function tooMany(res: ServerResponse, retryAfter: string): 'handled' {
  res.writeHead(429, { 'content-type': 'application/json', 'retry-after': retryAfter });
  res.end(JSON.stringify({ success: false, error: 'too many requests; retry later', code: 'RATE_LIMITED' }));
  return 'handled';
}

/**
 * Forwards each request with attributes added to the JSON body (to every event of a batch), as
 * a client sending a misspelt field would, so the server's real answer (and warnings) come back.
 */
export async function startAddingProxy(target: string, extra: Record<string, unknown>): Promise<FaultProxy> {
  let seen = 0;
  const server = createServer(async (req, res) => {
    seen += 1;
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    const add = (event: unknown) => ({ ...(event as object), ...extra });
    const answer = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: { authorization: req.headers.authorization ?? '', 'content-type': 'application/json' },
      body: JSON.stringify(Array.isArray(body) ? body.map(add) : add(body)),
    });
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(await answer.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => seen,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
