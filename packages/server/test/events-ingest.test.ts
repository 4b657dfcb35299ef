/** POST /api/v1/events end to end: single, resend, batch, binary mode, on every engine. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const minimal = { specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW' };

describe.each(ENGINES)('ingest on %s', (engine) => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server.close());

  const post = (body: unknown, headers: Record<string, string> = {}) =>
    server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(body), headers });
  const count = async () => {
    const res = await server.api('/api/v1/events?limit=1000', { key });
    return ((await res.json()) as { data: { events: unknown[] } }).data.events.length;
  };

  it('stores the guide example and answers 201 with the full stored event', async () => {
    const before = Date.now();
    const res = await post({
      ...minimal,
      subject: 'PRODUCTION',
      severity: 'MAJOR',
      version: '2.4.0',
      data: { description: 'Quarterly release with new checkout flow', ticket: 'JIRA-1234' },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { success: boolean; data: Record<string, unknown> };
    expect(body.success).toBe(true);
    expect(Object.keys(body.data)).toEqual([
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
    ]);
    expect(body.data).toMatchObject({
      specversion: '1.0',
      type: 'deployment',
      source: 'BE',
      subject: 'PRODUCTION',
      severity: 'MAJOR',
      version: '2.4.0',
      datacontenttype: 'application/json',
      dataschema: null,
      data: { description: 'Quarterly release with new checkout flow', ticket: 'JIRA-1234' },
    });
    expect(body.data.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(body.data.time as string)).toBeGreaterThanOrEqual(before - 1);
    expect(body.data.time).toMatch(/Z$/);
    const stored = await server.api(`/api/v1/events/${body.data.id}`, { key });
    expect(((await stored.json()) as { data: unknown }).data).toEqual(body.data);
  });

  it('answers a resend of source + id with 200 and the stored event, storing nothing new', async () => {
    const first = await post({ ...minimal, id: 'deploy-20250115-001', version: '1.0.0' });
    expect(first.status).toBe(201);
    const stored = ((await first.json()) as { data: unknown }).data;
    const n = await count();
    const again = await post({ ...minimal, id: 'deploy-20250115-001', version: '9.9.9' });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { data: unknown }).data).toEqual(stored);
    expect(await count()).toBe(n);
    const otherSource = await post({ ...minimal, source: 'FE', id: 'deploy-20250115-001' });
    expect(otherSource.status).toBe(201);
  });

  it('takes a batch as a JSON array, answering per item', async () => {
    const res = await post([
      { ...minimal, id: 'b-1' },
      { ...minimal, type: undefined, id: 'b-2' },
      { ...minimal, id: 'b-3', time: '2025-01-15T14:30:00' },
      { ...minimal, id: 'b-4', severity: 'CRITICAL' },
    ]);
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as {
      data: { accepted: { id: string }[]; rejected: { index: number; error: string; code: string }[] };
    };
    expect(data.accepted.map((e) => e.id)).toEqual(['b-1', 'b-4']);
    expect(data.rejected).toEqual([
      { index: 1, error: 'type: Required', code: 'VALIDATION_ERROR' },
      { index: 2, error: expect.stringMatching(/^time: .*timezone is missing/), code: 'VALIDATION_ERROR' },
    ]);
  });

  it('takes application/cloudevents-batch+json and dedupes repeats inside one batch', async () => {
    const res = await post(
      [
        { ...minimal, id: 'cb-1' },
        { ...minimal, id: 'cb-1' },
        { ...minimal, id: 'cb-2' },
      ],
      {
        'content-type': 'application/cloudevents-batch+json',
      },
    );
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { accepted: { id: string; createdAt: string }[] } };
    expect(data.accepted.map((e) => e.id)).toEqual(['cb-1', 'cb-1', 'cb-2']);
    expect(data.accepted[0]).toEqual(data.accepted[1]);
    const list = await server.api('/api/v1/events?search=BE&limit=1000', { key });
    const ids = ((await list.json()) as { data: { events: { id: string }[] } }).data.events.map((e) => e.id);
    expect(ids.filter((id) => id === 'cb-1')).toHaveLength(1);
  });

  it('says how many of a batch are new and how many were already stored', async () => {
    const first = await post([
      { ...minimal, id: 'n-1' },
      { ...minimal, id: 'n-2' },
    ]);
    expect(((await first.json()) as { data: { created: number } }).data.created).toBe(2);
    const again = await post([
      { ...minimal, id: 'n-1' },
      { ...minimal, id: 'n-2' },
      { ...minimal, id: 'n-3' },
      { ...minimal, id: 'n-3' },
      { ...minimal, type: undefined },
    ]);
    const { data } = (await again.json()) as {
      data: { accepted: unknown[]; created: number; rejected: unknown[] };
    };
    expect({ accepted: data.accepted.length, created: data.created, rejected: data.rejected.length }).toEqual(
      {
        accepted: 4,
        created: 1,
        rejected: 1,
      },
    );
    const none = await post([{ ...minimal, type: undefined }]);
    expect(((await none.json()) as { data: { created: number } }).data.created).toBe(0);
  });

  it('refuses a batch over 1,000 events with 413 and stores none of it', async () => {
    const n = await count();
    const res = await post(Array.from({ length: 1001 }, (_, i) => ({ ...minimal, id: `big-${i}` })));
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({
      success: false,
      code: 'PAYLOAD_TOO_LARGE',
      error: expect.stringMatching(/1001 events/),
    });
    expect(await count()).toBe(n);
  });

  it('takes CloudEvents HTTP binary mode', async () => {
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      headers: {
        'ce-specversion': '1.0',
        'ce-type': 'cache-purge',
        'ce-source': 'CACHE',
        'ce-id': 'bin-1',
        'ce-time': '2025-01-15T14:30:00Z',
        'ce-subject': 'PRODUCTION',
        'ce-severity': 'LOW',
        'ce-version': '7',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ description: 'purged product pages' }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { data: unknown }).data).toMatchObject({
      id: 'bin-1',
      type: 'cache-purge',
      source: 'CACHE',
      time: '2025-01-15T14:30:00.000Z',
      subject: 'PRODUCTION',
      severity: 'LOW',
      version: '7',
      data: { description: 'purged product pages' },
    });
  });

  it('answers a READ_ONLY key with 403 and no key with 401', async () => {
    const readOnly = await server.key('READ_ONLY');
    const forbidden = await server.api('/api/v1/events', {
      method: 'POST',
      key: readOnly,
      body: JSON.stringify(minimal),
    });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ success: false, code: 'FORBIDDEN' });
    const anonymous = await server.api('/api/v1/events', { method: 'POST', body: JSON.stringify(minimal) });
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ success: false, code: 'UNAUTHORIZED' });
  });

  it('enforces a named plan: past the daily throttle a 429 QUOTA_EXCEEDED with Retry-After', async () => {
    const org = await server.store.organizations.create(`quota-${engine}`, 'Quota test', 'free');
    const orgKey = await server.key('READ_WRITE', org.id);
    const batch = Array.from({ length: 100 }, (_, i) => ({ ...minimal, id: `q-${i}` }));
    const full = await server.api('/api/v1/events', {
      method: 'POST',
      key: orgKey,
      body: JSON.stringify(batch),
    });
    expect(full.status).toBe(200);
    const over = await server.api('/api/v1/events', {
      method: 'POST',
      key: orgKey,
      body: JSON.stringify(minimal),
    });
    expect(over.status).toBe(429);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await over.json()).toMatchObject({
      code: 'QUOTA_EXCEEDED',
      error: expect.stringMatching(/100 of 100/),
    });
  });
});
