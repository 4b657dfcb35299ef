/**
 * CloudEvents extension attributes end to end, on every engine: kept, answered after the twelve
 * fields everywhere (201, GET, list, export), filterable by correlationid / causationid, refused
 * with a message naming them when malformed, and warned about when they look like a misspelt
 * field. Also binary mode's extension headers and data-less events, and data_base64.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const TWELVE = [
  'id',
  'specversion',
  'type',
  'source',
  'time',
  'subject',
  'severity',
  'version',
  'datacontenttype',
  'dataschema',
  'data',
  'createdAt',
];
const minimal = { specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW' };

type Answer = { success: boolean; data: Record<string, unknown>; error?: string; code?: string };

describe.each(ENGINES)('extension attributes on %s', (engine) => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server.close());

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify(body),
      headers,
    });
    return { status: res.status, body: (await res.json()) as Answer };
  };
  const get = async (path: string) => {
    const res = await server.api(path, { key });
    expect(res.status).toBe(200);
    return (await res.json()) as { data: { events: Record<string, unknown>[] } & Record<string, unknown> };
  };
  const total = async () => (await get('/api/v1/events?limit=1000')).data.events.length;

  it('keeps extensions and answers them after the twelve fields, in the order sent, everywhere', async () => {
    const sent = {
      ...minimal,
      id: 'ext-1',
      correlationid: 'change-42',
      causationid: 'pr-7',
      traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      sequence: 3,
      replayed: false,
      ignoredwhennull: null,
      data: { description: 'with links' },
    };
    const created = await post(sent);
    expect(created.status).toBe(201);
    const order = [...TWELVE, 'correlationid', 'causationid', 'traceparent', 'sequence', 'replayed'];
    expect(Object.keys(created.body.data)).toEqual(order);
    expect(created.body.data).toMatchObject({ correlationid: 'change-42', sequence: 3, replayed: false });
    expect(created.body.data).not.toHaveProperty('warnings');

    const one = await get('/api/v1/events/ext-1');
    expect(one.data).toEqual(created.body.data);
    expect(Object.keys(one.data)).toEqual(order);

    const listed = (await get('/api/v1/events?limit=1000')).data.events.find((e) => e.id === 'ext-1');
    expect(listed).toEqual(created.body.data);

    const exported = (await (await server.api('/api/v1/events/export', { key })).json()) as Record<
      string,
      unknown
    >[];
    expect(exported.find((e) => e.id === 'ext-1')).toEqual(created.body.data);
    const ndjson = await (await server.api('/api/v1/events/export?format=ndjson', { key })).text();
    const line = ndjson.split('\n').find((l) => l.includes('"ext-1"')) as string;
    expect(Object.keys(JSON.parse(line))).toEqual(order);
  });

  it('takes an exported event back as sent (createdAt ignored), extensions intact', async () => {
    const exported = (await (await server.api('/api/v1/events/export', { key })).json()) as Record<
      string,
      unknown
    >[];
    const original = exported.find((e) => e.id === 'ext-1') as Record<string, unknown>;
    const other = await startTestServer(engine);
    try {
      const otherKey = await other.key('READ_WRITE');
      const res = await other.api('/api/v1/events', {
        method: 'POST',
        key: otherKey,
        body: JSON.stringify([original]),
      });
      const batch = (await res.json()) as {
        data: { accepted: Record<string, unknown>[]; rejected: unknown[] };
      };
      expect(batch.data.rejected).toEqual([]);
      const { createdAt: _theirs, ...rest } = batch.data.accepted[0] as Record<string, unknown>;
      const { createdAt: _ours, ...expected } = original;
      expect(rest).toEqual(expected);
    } finally {
      await other.close();
    }
  });

  it('filters by correlationid and causationid, exactly, alone or with other filters', async () => {
    for (const [id, correlationid, causationid, source] of [
      ['link-1', 'flow-A', 'deploy-1', 'BE'],
      ['link-2', 'flow-A', 'deploy-2', 'FE'],
      ['link-3', 'flow-a', 'deploy-1', 'BE'],
      ['link-4', 42, undefined, 'BE'],
    ] as const) {
      expect((await post({ ...minimal, id, source, correlationid, causationid })).status).toBe(201);
    }
    const ids = async (query: string) =>
      (await get(`/api/v1/events?${query}`)).data.events.map((e) => e.id).sort();
    expect(await ids('correlationid=flow-A')).toEqual(['link-1', 'link-2']);
    expect(await ids('correlationid=flow-A&correlationid=flow-a')).toEqual(['link-1', 'link-2', 'link-3']);
    expect(await ids('causationid=deploy-1')).toEqual(['link-1', 'link-3']);
    expect(await ids('correlationid=flow-A&source=be')).toEqual(['link-1']);
    expect(await ids('correlationid=42')).toEqual(['link-4']);
    expect(await ids('correlationid=nothing')).toEqual([]);
    const exported = await (await server.api('/api/v1/events/export?correlationid=flow-A', { key })).json();
    expect((exported as { id: string }[]).map((e) => e.id).sort()).toEqual(['link-1', 'link-2']);
  });

  it('refuses malformed extension names and values, naming each, and stores nothing', async () => {
    const before = await total();
    const badName = await post({ ...minimal, correlationId: 'x', 'trace-id': 'y' });
    expect(badName.status).toBe(400);
    expect(badName.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect(badName.body.error).toBe(
      'correlationId: attribute names are lower-case letters a-z and digits 0-9 only (CloudEvents); rename it, e.g. correlationid; ' +
        'trace-id: attribute names are lower-case letters a-z and digits 0-9 only (CloudEvents); rename it, e.g. traceid',
    );
    const badValue = await post({ ...minimal, trace: { id: 1 } });
    expect(badValue.status).toBe(400);
    expect(badValue.body.error).toMatch(/^trace: an extension attribute must be a string, number or boolean/);
    const capital = await post({ ...minimal, Severity: 'MAJOR' });
    expect(capital.body.error).toMatch(/^Severity: .*did you mean severity\?$/);
    expect(await total()).toBe(before);
  });

  it('stores the longest values allowed in 3-byte characters: every index entry fits', async () => {
    // Limits count UTF-16 units, so CJK ideographs (3 bytes each in UTF-8) make the largest values;
    // spread over the block so PostgreSQL cannot compress the index entries.
    const wide = (n: number, seed: number) =>
      Array.from({ length: n }, (_, i) => String.fromCodePoint(0x4e00 + (((i + seed) * 7919) % 20_000))).join(
        '',
      );
    const sent = {
      ...minimal,
      id: wide(200, 1),
      source: wide(500, 2),
      type: wide(100, 3),
      subject: wide(50, 4),
      version: wide(50, 5),
      correlationid: wide(200, 6),
      causationid: wide(200, 7),
    };
    const res = await post(sent);
    expect(res.status).toBe(201);
    const found = await get(
      `/api/v1/events?source=${encodeURIComponent(sent.source)}&correlationid=${encodeURIComponent(sent.correlationid)}`,
    );
    expect(found.data.events.map((e) => e.id)).toEqual([sent.id]);
    const tooLong = await post({ ...minimal, correlationid: 'c'.repeat(201) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toBe(
      'correlationid: must be at most 200 characters (it has 201); it is an id linking events',
    );
  });

  it('counts extensions toward the 10 KB', async () => {
    const res = await post({ ...minimal, note: 'x'.repeat(10_240) });
    expect(res.status).toBe(413);
    expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('refuses data_base64 instead of storing the event without its data', async () => {
    const before = await total();
    const res = await post({
      ...minimal,
      datacontenttype: 'application/octet-stream',
      data_base64: 'aGVsbG8=',
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('data_base64: binary data is not supported; send data as a JSON object');
    expect(await total()).toBe(before);
  });

  it('warns about a likely misspelt field in the 201, keeps it as an extension, and never stores the warning', async () => {
    const res = await post({
      ...minimal,
      id: 'typo-1',
      severty: 'MAJOR',
      subjet: 'PRODUCTION',
      description: 'forgot data',
    });
    expect(res.status).toBe(201);
    expect(res.body.data.warnings).toEqual([
      'severty: not a known attribute; did you mean severity? It was kept as an extension',
      'subjet: not a known attribute; did you mean subject? It was kept as an extension',
      'description: not a known attribute; did you mean data.description? It was kept as an extension',
    ]);
    expect(res.body.data).toMatchObject({ severity: null, subject: null, severty: 'MAJOR' });
    const stored = (await get('/api/v1/events/typo-1')).data;
    expect(stored).not.toHaveProperty('warnings');
    expect(stored).toMatchObject({ severty: 'MAJOR', subjet: 'PRODUCTION', description: 'forgot data' });
    // A resend answers the stored event (200) and the same warnings about what was sent.
    const again = await post({
      ...minimal,
      id: 'typo-1',
      severty: 'MAJOR',
      subjet: 'PRODUCTION',
      description: 'forgot data',
    });
    expect(again.status).toBe(200);
    expect(again.body.data.warnings).toHaveLength(3);
  });

  it('warns per batch item, only on the items concerned', async () => {
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify([
        { ...minimal, id: 'b-ok' },
        { ...minimal, id: 'b-bad', Oops: 1 },
        { ...minimal, id: 'b-typo', timezone: 'Europe/Paris', averyveryverylongname1: 'x' },
      ]),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      data: { accepted: Record<string, unknown>[]; rejected: { index: number; error: string }[] };
    };
    expect(body.data.accepted.map((e) => e.id)).toEqual(['b-ok', 'b-typo']);
    expect(body.data.accepted[0]).not.toHaveProperty('warnings');
    expect(body.data.accepted[1]?.warnings).toEqual([
      'timezone: not a known attribute; did you mean data.timezone? It was kept as an extension',
      'averyveryverylongname1: extension names longer than 20 characters may be refused by other CloudEvents systems (the specification advises at most 20); it was kept',
    ]);
    expect(body.data.rejected).toEqual([
      {
        index: 1,
        code: 'VALIDATION_ERROR',
        error:
          'Oops: attribute names are lower-case letters a-z and digits 0-9 only (CloudEvents); rename it, e.g. oops',
      },
    ]);
  });

  describe('binary mode', () => {
    const binary = (headers: Record<string, string>, body?: string) =>
      fetch(`${server.url}/api/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, ...headers },
        ...(body === undefined ? {} : { body }),
      });

    it('stores a data-less event as the CloudEvents SDK sends it: application/json, Content-Length 0', async () => {
      const res = await binary(
        {
          'content-type': 'application/json; charset=utf-8',
          'content-length': '0',
          'ce-id': 'sdk-empty-1',
          'ce-time': '2026-11-30T10:00:00.000Z',
          'ce-type': 'cache-purge',
          'ce-source': 'CACHE',
          'ce-specversion': '1.0',
          'ce-correlationid': 'flow-bin',
        },
        '',
      );
      expect(res.status).toBe(201);
      const body = (await res.json()) as Answer;
      expect(body.data).toMatchObject({
        id: 'sdk-empty-1',
        type: 'cache-purge',
        data: null,
        correlationid: 'flow-bin',
      });
      expect((await get('/api/v1/events/sdk-empty-1')).data).toMatchObject({
        data: null,
        correlationid: 'flow-bin',
      });
    });

    it('still refuses an empty JSON body that is not binary mode', async () => {
      const res = await binary({ 'content-type': 'application/json', 'content-length': '0' }, '');
      expect(res.status).toBe(400);
      expect(((await res.json()) as Answer).error).toMatch(/^request body: is empty/);
    });

    it('keeps ce-* extension headers, warns about misspelt ones and refuses bad names', async () => {
      const ok = await binary(
        {
          'ce-specversion': '1.0',
          'ce-type': 'deployment',
          'ce-source': 'BE',
          'ce-id': 'bin-ext-1',
          'ce-time': 'NOW',
          'ce-causationid': 'pr%2012',
          'ce-severty': 'MAJOR',
          'content-type': 'application/json',
        },
        JSON.stringify({ description: 'binary with extensions' }),
      );
      expect(ok.status).toBe(201);
      const body = (await ok.json()) as Answer;
      expect(body.data).toMatchObject({ causationid: 'pr 12', severty: 'MAJOR', severity: null });
      expect(body.data.warnings).toEqual([
        'severty: not a known attribute; did you mean severity? It was kept as an extension',
      ]);
      expect(Object.keys(body.data).slice(0, 12)).toEqual(TWELVE);

      const bad = await binary(
        {
          'ce-specversion': '1.0',
          'ce-type': 'deployment',
          'ce-source': 'BE',
          'ce-time': 'NOW',
          'ce-trace_id': 'x',
        },
        undefined,
      );
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as Answer).error).toMatch(
        /^trace_id: attribute names are lower-case letters/,
      );
    });
  });
});
