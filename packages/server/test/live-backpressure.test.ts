/**
 * A live-feed client that stops reading does not hold the server's memory or the other streams:
 * its stream is paused, then dropped, and the client comes back with Last-Event-ID and gets
 * everything it missed, once.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { SseClient } from './sse-client.js';

interface Stalled {
  socket: Socket;
  connectedId: string;
  /** Resumes reading; once the server has closed the stream, the events received and the last SSE id. */
  readToEnd(): Promise<{ ids: string[]; lastId: string }>;
}

/** Opens a stream on a bare socket, waits for its "connected" line, then stops reading. */
async function stalledStream(url: string, key: string): Promise<Stalled> {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  socket.on('error', () => undefined);
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  socket.write(
    `GET /api/v1/events/stream?source=flood HTTP/1.1\r\nHost: ${hostname}\r\nAuthorization: Bearer ${key}\r\nAccept: text/event-stream\r\n\r\n`,
  );
  let text = '';
  const connectedId = await new Promise<string>((resolve, reject) => {
    socket.on('data', (chunk) => {
      text += chunk.toString();
      const match = /\nid: (\S+)\n: connected\n/.exec(text);
      if (match?.[1]) resolve(match[1]);
    });
    socket.once('close', () => reject(new Error(`closed before connecting: ${text}`)));
  });
  socket.pause();
  return {
    socket,
    connectedId,
    async readToEnd() {
      socket.resume();
      await closed;
      const events = [...text.matchAll(/\nid: (\d+)\nevent: event\ndata: \{"id":"([^"]+)"/g)];
      return { ids: events.map((m) => m[2] as string), lastId: events.at(-1)?.[1] ?? connectedId };
    },
  };
}

describe.each(ENGINES)('live feed backpressure (%s)', (engine) => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server?.close());

  it('pauses, then drops, a stream whose client stopped reading; it resumes with Last-Event-ID and misses nothing', async () => {
    const stalled = await stalledStream(server.url, key);
    const healthy = await SseClient.open(`${server.url}/api/v1/events/stream?source=flood`, {
      authorization: `Bearer ${key}`,
    });

    // ~8 KB events, 100 per request, one request a second for 25 s: far more than the socket
    // buffers hold, and longer than a stalled stream is kept.
    const filler = 'x'.repeat(7_500);
    const sent: string[] = [];
    for (let round = 0; round < 25; round++) {
      const batch = Array.from({ length: 100 }, (_, j) => ({
        specversion: '1.0',
        id: `flood-${sent.length + j}`,
        type: 'deployment',
        source: 'flood',
        time: 'NOW',
        data: { description: 'flood', filler },
      }));
      const res = await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(batch) });
      expect(res.status).toBe(200);
      sent.push(...batch.map((e) => e.id));
      await new Promise((r) => setTimeout(r, 1_000));
    }

    // The server cut the stalled stream: reading again, the client gets what was in flight, then the end.
    const { ids: received, lastId } = await stalled.readToEnd();
    expect(received.length).toBeLessThan(sent.length);
    expect(received).toEqual(sent.slice(0, received.length));

    // The healthy stream was never held back by the stalled one.
    await healthy.until(() => healthy.deliveries.length >= sent.length, 30_000);
    expect(healthy.ids).toEqual(sent);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const resumed = await SseClient.open(`${server.url}/api/v1/events/stream?source=flood`, {
      authorization: `Bearer ${key}`,
      'last-event-id': lastId,
    });
    const rest = sent.slice(received.length);
    await resumed.until(() => resumed.deliveries.length >= rest.length, 60_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(resumed.ids).toEqual(rest);
    resumed.close();
    healthy.close();
    stalled.socket.destroy();
  }, 120_000);
});
