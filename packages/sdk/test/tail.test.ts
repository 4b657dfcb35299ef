/** The live feed against a real server, across a dropped connection. */
import { AuthenticationError, OpsTrailsClient, type StoredEvent } from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy, type TcpProxy } from '../../../test-support/tcp-proxy.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

describe.each(ENGINES)('tailEvents on %s', (engine) => {
  let server: TestServer;
  let proxy: TcpProxy;
  let writer: OpsTrailsClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    proxy = await startTcpProxy(server.url);
    writer = new OpsTrailsClient({ apiKey: await server.key('READ_WRITE'), baseUrl: server.url });
  });
  afterAll(async () => {
    await proxy.close();
    await server.close();
  });

  it('delivers new events, and after a dropped connection resumes without loss or repeats', async () => {
    const reader = new OpsTrailsClient({ apiKey: await server.key('READ_ONLY'), baseUrl: proxy.url });
    const controller = new AbortController();
    const seen: StoredEvent[] = [];
    const reconnects: string[] = [];
    let connected = () => {};
    const open = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const feed = reader.tailEvents(
      { source: 'TAIL' },
      {
        signal: controller.signal,
        onConnect: () => connected(),
        onReconnect: (reason) => reconnects.push(reason.code),
      },
    );
    const next = () => feed.next().then((r) => r.value as StoredEvent);

    const first = next();
    await open;
    await writer.trackEvent({ type: 'deployment', source: 'TAIL', id: 'one' });
    await writer.trackEvent({ type: 'deployment', source: 'OTHER', id: 'filtered-out' });
    seen.push(await first);

    proxy.dropAll();
    await writer.trackEvent({ type: 'rollback', source: 'TAIL', id: 'two' });
    await writer.trackEvent({ type: 'deployment', source: 'TAIL', id: 'three' });
    seen.push(await next(), await next());
    controller.abort();

    expect(seen.map((e) => e.id)).toEqual(['one', 'two', 'three']);
    expect(reconnects).toEqual(['NETWORK_ERROR']);
    expect(proxy.connections()).toBe(2);
    expect(await feed.next()).toEqual({ done: true, value: undefined });
  });

  it('resumes from where the stream started when the connection drops before the first event', async () => {
    const reader = new OpsTrailsClient({ apiKey: await server.key('READ_ONLY'), baseUrl: proxy.url });
    const controller = new AbortController();
    let connected = () => {};
    const open = new Promise<void>((resolve) => {
      connected = resolve;
    });
    const feed = reader.tailEvents(
      { source: 'EARLY' },
      { signal: controller.signal, onConnect: () => connected() },
    );
    const first = feed.next();
    await open;
    // Let the feed read the stream's first message (its starting position) before the cut.
    await new Promise((r) => setTimeout(r, 200));
    proxy.dropAll();
    await writer.trackEvent({ type: 'deployment', source: 'EARLY', id: 'sent-while-away-1' });
    await writer.trackEvent({ type: 'deployment', source: 'EARLY', id: 'sent-while-away-2' });
    const ids = [((await first).value as StoredEvent).id, ((await feed.next()).value as StoredEvent).id];
    controller.abort();
    expect(ids).toEqual(['sent-while-away-1', 'sent-while-away-2']);
  });

  it('ends with AuthenticationError on a bad key instead of retrying', async () => {
    const bad = new OpsTrailsClient({ apiKey: 'ot_nope', baseUrl: server.url });
    await expect(bad.tailEvents().next()).rejects.toBeInstanceOf(AuthenticationError);
  });
});
