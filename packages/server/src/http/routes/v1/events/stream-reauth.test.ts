import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invite, setupOwner } from '../../../../../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../../../../../test-support/test-server.js';

/** Reads a stream to its end and returns everything it said. */
async function untilEnd(response: Response): Promise<string> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done) return text;
    text += decoder.decode(value);
  }
}

describe.each(ENGINES)('live stream re-authorization (%s)', (engine) => {
  let server: TestServer;
  beforeEach(async () => {
    server = await startTestServer(engine);
  });
  afterEach(() => server.close());

  it('ends the stream of a revoked key and of a removed member at the next heartbeat', async () => {
    const key = await server.key('READ_ONLY');
    const keyStream = await server.api('/api/v1/events/stream', { key });
    expect(keyStream.status).toBe(200);

    const owner = await setupOwner(server);
    const member = await invite(server, owner, 'MEMBER', 'gone@example.com');
    const memberStream = await member.call('/api/v1/events/stream');
    expect(memberStream.status).toBe(200);
    const memberId = (await member.json<{ user: { id: string } }>('/api/v1/session')).user.id;

    const keyId = (await server.store.apiKeys.list(server.defaultOrg.id))[0]?.id as string;
    await server.store.apiKeys.revoke(server.defaultOrg.id, keyId);
    expect((await owner.call(`/api/v1/members/${memberId}`, { method: 'DELETE' })).status).toBe(200);

    const [keyText, memberText] = await Promise.all([untilEnd(keyStream), untilEnd(memberStream)]);
    expect(keyText).toContain(': ping');
    expect(memberText).toContain(': ping');
  }, 45_000);
});
