/** GET/PUT /api/v1/context: the business context the MCP server hands to every client. */
import { LIMITS } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { CONTEXT_TEMPLATE, CONTEXT_TEMPLATE_MARKER } from '../src/domain/context-template.js';

describe.each(ENGINES)('business context API (%s)', (engine) => {
  let server: TestServer;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    writer = await server.key('READ_WRITE');
    reader = await server.key('READ_ONLY');
  });
  afterAll(async () => {
    await server?.close();
  });

  const put = (body: unknown, key = writer) =>
    server.api('/api/v1/context', { key, method: 'PUT', body: JSON.stringify(body) });

  it('gives an organization without context the marked template', async () => {
    const res = await server.api('/api/v1/context', { key: reader });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as {
      data: { context: string; updatedAt: null; isTemplate: boolean };
    };
    expect(data.isTemplate).toBe(true);
    expect(data.updatedAt).toBeNull();
    expect(data.context.startsWith(CONTEXT_TEMPLATE_MARKER)).toBe(true);
    expect(data.context).toContain('We deploy to staging before production.');
  });

  it('replaces it with PUT and serves it back', async () => {
    const res = await put({ context: 'We run one shop. PROD is production.' });
    expect(res.status).toBe(200);
    const put1 = (await res.json()) as { data: { updatedAt: string } };
    const got = (await (await server.api('/api/v1/context', { key: reader })).json()) as {
      data: { context: string; updatedAt: string; isTemplate: boolean };
    };
    expect(got.data).toEqual({
      context: 'We run one shop. PROD is production.',
      updatedAt: put1.data.updatedAt,
      isTemplate: false,
    });
  });

  it('refuses bad bodies with a 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'context: Required'],
      [{ context: 42 }, 'context: must be a string'],
      [{ context: 'x'.repeat(LIMITS.businessContextMax + 1) }, `at most ${LIMITS.businessContextMax}`],
      [{ context: 'x', extra: 1 }, 'extra: is not a field'],
      [['x'], 'must be a JSON object'],
    ];
    for (const [body, message] of cases) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body).slice(0, 40)).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain(message);
    }
    expect((await put({ context: 'x'.repeat(LIMITS.businessContextMax) })).status).toBe(200);
  });

  it('refuses the unedited template with a 400 that says what to write, and keeps the stored text', async () => {
    const before = (await (await server.api('/api/v1/context', { key: reader })).json()) as {
      data: { context: string };
    };
    // As the editor or `context get > file` hands it back: other line endings, a final newline.
    for (const text of [CONTEXT_TEMPLATE, `${CONTEXT_TEMPLATE.replace(/\n/g, '\r\n')}\n`]) {
      const res = await put({ context: text });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: 'VALIDATION_ERROR',
        error: expect.stringMatching(
          /^context: is the unedited template .*write your own: what your organization does, what each subject, source and type means/,
        ),
      });
    }
    const marked = await put({ context: CONTEXT_TEMPLATE.replace('ShopMax', 'Acme') });
    expect(marked.status).toBe(400);
    expect(((await marked.json()) as { error: string }).error).toMatch(
      /^context: still contains the template's first line .*delete that line/,
    );
    const after = (await (await server.api('/api/v1/context', { key: reader })).json()) as {
      data: { context: string };
    };
    expect(after.data.context).toBe(before.data.context);
    const edited = CONTEXT_TEMPLATE.replace(`${CONTEXT_TEMPLATE_MARKER}\n`, '').replace('ShopMax', 'Acme');
    expect((await put({ context: edited })).status).toBe(200);
  });

  it('needs a READ_WRITE key to write and a key to read', async () => {
    expect((await put({ context: 'x' }, reader)).status).toBe(403);
    expect((await server.api('/api/v1/context')).status).toBe(401);
  });
});
