/** Bad requests get a 4xx JSON envelope that names the problem, never a 500, and lose nothing stored. */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

/** Sends raw bytes, for bodies fetch would not send as-is (invalid UTF-8). */
function rawPost(
  url: string,
  key: string,
  body: Buffer,
  contentType: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/v1/events`,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': contentType,
          'content-length': body.length,
        },
      },
      (res) => {
        let text = '';
        res.on('data', (c) => {
          text += c;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe.each(ENGINES)('bad input on %s', (engine) => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
    await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify({
        specversion: '1.0',
        type: 'deployment',
        source: 'BE',
        time: 'NOW',
        id: 'keep-me',
      }),
    });
  });
  afterAll(async () => {
    // Whatever was thrown at it, the stored event is still there.
    const res = await server.api('/api/v1/events/keep-me', { key });
    expect(res.status).toBe(200);
    await server.close();
  });

  const expectError = async (res: Response, status: number, code: string, message: RegExp) => {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    const body = (await res.json()) as { success: boolean; code: string; error: string };
    expect(body.success).toBe(false);
    expect(body.code).toBe(code);
    expect(body.error).toMatch(message);
  };
  const post = (body: string, contentType = 'application/json') =>
    server.api('/api/v1/events', { method: 'POST', key, body, headers: { 'content-type': contentType } });

  it('malformed JSON', async () => {
    await expectError(
      await post('{"specversion": "1.0",'),
      400,
      'VALIDATION_ERROR',
      /request body: is not valid JSON/,
    );
  });

  it('an empty body', async () => {
    await expectError(await post(''), 400, 'VALIDATION_ERROR', /request body: is empty/);
  });

  it('a wrong content type', async () => {
    await expectError(
      await post('type=deployment', 'application/x-www-form-urlencoded'),
      415,
      'VALIDATION_ERROR',
      /Content-Type: application\/x-www-form-urlencoded is not accepted/,
    );
  });

  it('a body over the size limit', async () => {
    await expectError(
      await post(`"${'x'.repeat(11 * 1024 * 1024)}"`),
      413,
      'PAYLOAD_TOO_LARGE',
      /larger than the server accepts/,
    );
  });

  it('an event over 10 KB', async () => {
    const body = JSON.stringify({
      specversion: '1.0',
      type: 'x',
      source: 'BE',
      time: 'NOW',
      data: { blob: 'x'.repeat(11_000) },
    });
    await expectError(await post(body), 413, 'PAYLOAD_TOO_LARGE', /10240 bytes/);
  });

  it('non-object data', async () => {
    const body = JSON.stringify({
      specversion: '1.0',
      type: 'x',
      source: 'BE',
      time: 'NOW',
      data: 'deployed',
    });
    await expectError(await post(body), 400, 'VALIDATION_ERROR', /^data: must be a JSON object/);
  });

  it('a JSON scalar as the body', async () => {
    await expectError(await post('42'), 400, 'VALIDATION_ERROR', /event: must be a JSON object/);
  });

  it('__proto__ and constructor keys', async () => {
    await expectError(
      await post(
        '{"specversion":"1.0","type":"x","source":"BE","time":"NOW","data":{"__proto__":{"polluted":true}}}',
      ),
      400,
      'VALIDATION_ERROR',
      /__proto__/,
    );
    await expectError(
      await post(
        '{"specversion":"1.0","type":"x","source":"BE","time":"NOW","data":{"constructor":{"prototype":{"x":1}}}}',
      ),
      400,
      'VALIDATION_ERROR',
      /constructor/,
    );
  });

  it('deep nesting', async () => {
    const deep = `${'{"a":'.repeat(100)}1${'}'.repeat(100)}`;
    await expectError(
      await post(`{"specversion":"1.0","type":"x","source":"BE","time":"NOW","data":${deep}}`),
      400,
      'VALIDATION_ERROR',
      /nests deeper than 32 levels/,
    );
    const absurd = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    await expectError(
      await post(`{"specversion":"1.0","type":"x","source":"BE","time":"NOW","data":{"a":${absurd}}}`),
      400,
      'VALIDATION_ERROR',
      /^data\.a\[0\](\[0\])+: nests deeper than 32 levels/,
    );
  });

  it('invalid UTF-8', async () => {
    const body = Buffer.concat([
      Buffer.from('{"specversion":"1.0","type":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('","source":"BE","time":"NOW"}'),
    ]);
    const res = await rawPost(server.url, key, body, 'application/json');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toMatchObject({
      code: 'VALIDATION_ERROR',
      error: expect.stringMatching(/not valid UTF-8/),
    });
  });

  it('a huge query string', async () => {
    await expectError(
      await server.api(`/api/v1/events?search=${'x'.repeat(9_000)}`, { key }),
      414,
      'VALIDATION_ERROR',
      /request URL: .* the limit is 8192/,
    );
    const res = await server.api(`/api/v1/events?search=${'x'.repeat(70_000)}`, { key });
    expect(res.status).toBe(431);
    expect(await res.json()).toMatchObject({
      code: 'VALIDATION_ERROR',
      error: expect.stringMatching(/too large/),
    });
  });

  it('bad query parameters name the parameter', async () => {
    await expectError(
      await server.api('/api/v1/events?from=yesterday', { key }),
      400,
      'VALIDATION_ERROR',
      /^from: "yesterday" is not a time/,
    );
    await expectError(
      await server.api('/api/v1/events?severity=HUGE', { key }),
      400,
      'VALIDATION_ERROR',
      /^severity:/,
    );
    await expectError(
      await server.api('/api/v1/events?cursor=garbage', { key }),
      400,
      'VALIDATION_ERROR',
      /^cursor:/,
    );
    await expectError(
      await server.api('/api/v1/events?timezone=Mars/Base', { key }),
      400,
      'VALIDATION_ERROR',
      /^timezone:/,
    );
    await expectError(
      await server.api('/api/v1/events?typo=1', { key }),
      400,
      'VALIDATION_ERROR',
      /^typo: is not a parameter here; use from, .*limit, cursor$/,
    );
    await expectError(
      await server.api('/api/v1/events?format=ndjson', { key }),
      400,
      'VALIDATION_ERROR',
      /^format: is not a parameter here/,
    );
    await expectError(
      await server.api('/api/v1/events/export?cursor=abc', { key }),
      400,
      'VALIDATION_ERROR',
      /^cursor: is not a parameter here; use .*format$/,
    );
    await expectError(
      await server.api('/api/v1/events?from=-1h&to=-2h', { key }),
      400,
      'VALIDATION_ERROR',
      /^from: is after to/,
    );
  });

  it('binary mode with a non-JSON body', async () => {
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      headers: {
        'ce-specversion': '1.0',
        'ce-type': 'x',
        'ce-source': 'BE',
        'ce-time': 'NOW',
        'content-type': 'text/plain',
      },
      body: 'hello',
    });
    await expectError(res, 415, 'VALIDATION_ERROR', /^data: binary-mode body has Content-Type text\/plain/);
  });

  it('an unknown route', async () => {
    await expectError(
      await server.api('/api/v1/nothing', { key }),
      404,
      'NOT_FOUND',
      /^GET \/api\/v1\/nothing: no such API route/,
    );
  });
});
