/**
 * An open live stream ends once its right to read is gone, within a second like every other
 * request (not at the next heartbeat): a key revoked here or by another process (the CLI), a
 * member removed, a session signed out. Streams whose grant still holds stay open.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../../../../test-support/cli.js';
import { invite, setupOwner } from '../../../../../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../../../../../test-support/test-server.js';
import { SseClient } from '../../../../../test/sse-client.js';

/** Well under the 15 s heartbeat: the stream did not wait for it. */
const ENDS_WITHIN_MS = 5_000;

describe.each(ENGINES)('live stream re-authorization (%s)', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer(engine);
  });
  afterEach(() => server.close());

  const open = (headers: Record<string, string>) =>
    SseClient.open(`${server.url}/api/v1/events/stream`, headers);
  const keyIdOf = async (name: string) =>
    (await server.store.apiKeys.list(server.defaultOrg.id)).find((k) => k.name === name)?.id as string;

  it('ends the streams of a revoked key, a removed member and a signed-out session; keeps the others', async () => {
    const revokedKey = (await server.store.apiKeys.create(server.defaultOrg.id, 'revoked', 'READ_ONLY')).key;
    const keptKey = await server.key('READ_ONLY');
    const keyStream = await open({ authorization: `Bearer ${revokedKey}` });
    const keptStream = await open({ authorization: `Bearer ${keptKey}` });

    const owner = await setupOwner(server);
    const removed = await invite(server, owner, 'MEMBER', 'gone@example.com');
    const signedOut = await invite(server, owner, 'MEMBER', 'out@example.com');
    const removedStream = await open({ cookie: removed.cookie });
    const signedOutStream = await open({ cookie: signedOut.cookie });
    const ownerStream = await open({ cookie: owner.cookie });
    const removedId = (await removed.json<{ user: { id: string } }>('/api/v1/session')).user.id;

    await server.store.apiKeys.revoke(server.defaultOrg.id, await keyIdOf('revoked'));
    expect((await owner.call(`/api/v1/members/${removedId}`, { method: 'DELETE' })).status).toBe(200);
    expect((await signedOut.call('/api/v1/session', { method: 'DELETE' })).status).toBeLessThan(300);

    for (const ended of [keyStream, removedStream, signedOutStream]) {
      await ended.until(() => ended.ended, ENDS_WITHIN_MS, 'the end of the stream');
      expect(ended.comments).not.toContain(': ping');
    }
    // Two grant checks later the others are still open, and still get events.
    await new Promise((r) => setTimeout(r, 1_200));
    expect(keptStream.ended).toBe(false);
    expect(ownerStream.ended).toBe(false);
    const writer = await server.key('READ_WRITE');
    const body = JSON.stringify({
      specversion: '1.0',
      id: 'after',
      type: 'deployment',
      source: 'BE',
      time: 'NOW',
    });
    expect((await server.api('/api/v1/events', { method: 'POST', key: writer, body })).status).toBe(201);
    for (const open of [keptStream, ownerStream]) {
      await open.until(() => open.ids.includes('after'));
      open.close();
    }
  }, 30_000);

  it('ends the stream of a key revoked by another process (the CLI)', async () => {
    const key = (await server.store.apiKeys.create(server.defaultOrg.id, 'cli-revoked', 'READ_ONLY')).key;
    const stream = await open({ authorization: `Bearer ${key}` });
    const result = await runCli(['keys', 'revoke', await keyIdOf('cli-revoked')], server.storeEnv);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('revoked');
    await stream.until(() => stream.ended, ENDS_WITHIN_MS, 'the end of the stream');
  }, 30_000);
});
