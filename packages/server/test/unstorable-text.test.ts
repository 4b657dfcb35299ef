/**
 * Text the stores cannot keep (NUL, lone surrogates) is refused per event: in a batch only the
 * element carrying it is rejected, on both engines (PostgreSQL used to answer 500 for a NUL).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

describe.each(ENGINES)('unstorable text on %s', (engine) => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server.close());

  const event = (over: Record<string, unknown>) => ({
    specversion: '1.0',
    type: 'deployment',
    source: 'BE',
    time: 'NOW',
    ...over,
  });

  it('rejects only the bad elements of a batch, naming the field', async () => {
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify([
        event({ id: 'fine' }),
        event({ id: 'nul', subject: 'PROD\u0000' }),
        event({ id: 'lone', data: { description: 'half \ud83d' } }),
        event({ id: 'key', data: { 'a\u0000': 1 } }),
      ]),
    });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as {
      data: { accepted: { id: string }[]; rejected: { index: number; error: string; code: string }[] };
    };
    expect(data.accepted.map((e) => e.id)).toEqual(['fine']);
    expect(data.rejected).toEqual([
      { index: 1, code: 'VALIDATION_ERROR', error: 'subject: contains a NUL character (\\u0000); remove it' },
      {
        index: 2,
        code: 'VALIDATION_ERROR',
        error:
          'data.description: contains a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape); send valid Unicode',
      },
      {
        index: 3,
        code: 'VALIDATION_ERROR',
        error: 'data: a key contains a NUL character (\\u0000); remove it',
      },
    ]);
  });

  it('keeps emoji (proper surrogate pairs) and refuses a NUL in a single event and in binary mode', async () => {
    const emoji = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify(event({ id: 'emoji', data: { description: 'shipped 🚀' } })),
    });
    expect(emoji.status).toBe(201);
    expect(((await emoji.json()) as { data: { data: { description: string } } }).data.data.description).toBe(
      'shipped 🚀',
    );
    const single = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify(event({ source: 'a\u0000b' })),
    });
    expect(single.status).toBe(400);
    const binary = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      headers: { 'ce-specversion': '1.0', 'ce-type': 'x', 'ce-source': 'a%00b', 'ce-time': 'NOW' },
    });
    expect(binary.status).toBe(400);
    expect(await binary.json()).toMatchObject({
      error: 'source: contains a NUL character (\\u0000); remove it',
    });
  });
});
