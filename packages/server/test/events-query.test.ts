/** GET /api/v1/events, /events/{id} and /events/export end to end, on every engine. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

interface Page {
  events: {
    id: string;
    type: string;
    source: string;
    subject: string | null;
    time: string;
    severity: string | null;
  }[];
  nextCursor: string | null;
}

const HOUR = 3_600_000;

describe.each(ENGINES)('queries on %s', (engine) => {
  let server: TestServer;
  let key: string;
  const now = Date.now();
  const at = (hoursAgo: number) => new Date(now - hoursAgo * HOUR).toISOString();

  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_ONLY');
    const writer = await server.key('READ_WRITE');
    const events = [
      { id: 'e1', type: 'deployment', source: 'BE', subject: 'STAGING', time: at(30), version: '2.4.0' },
      {
        id: 'e2',
        type: 'deployment',
        source: 'BE',
        subject: 'PRODUCTION',
        time: at(20),
        version: '2.4.0',
        severity: 'MAJOR',
      },
      {
        id: 'e3',
        type: 'db-migration',
        source: 'DB',
        subject: 'PRODUCTION',
        time: at(10),
        severity: 'MAJOR',
        data: { description: 'Added indexes on orders table' },
      },
      {
        id: 'e4',
        type: 'cache-purge',
        source: 'CACHE',
        subject: 'PRODUCTION',
        time: at(1.5),
        severity: 'LOW',
      },
      {
        id: 'e5',
        type: 'deployment',
        source: 'FE',
        subject: 'STAGING',
        time: at(0.5),
        version: '1.8.0',
        data: { description: '50% rollout of hero_section' },
      },
      {
        id: 'shared',
        type: 'incident',
        source: 'BE',
        subject: 'PRODUCTION',
        time: at(40),
        severity: 'CRITICAL',
      },
      { id: 'shared', type: 'incident', source: 'FE', subject: 'PRODUCTION', time: at(41) },
    ].map((e) => ({ specversion: '1.0', ...e }));
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key: writer,
      body: JSON.stringify(events),
    });
    expect(((await res.json()) as { data: { rejected: unknown[] } }).data.rejected).toEqual([]);
  });
  afterAll(() => server.close());

  const page = async (query: string) => {
    const res = await server.api(`/api/v1/events${query}`, { key });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: Page }).data;
  };
  const ids = async (query: string) => (await page(query)).events.map((e) => `${e.id}/${e.source}`);

  it('lists newest first', async () => {
    expect(await ids('')).toEqual(['e5/FE', 'e4/CACHE', 'e3/DB', 'e2/BE', 'e1/BE', 'shared/BE', 'shared/FE']);
  });

  it('filters by type, source, subject and severity, each repeatable', async () => {
    expect(await ids('?type=deployment')).toEqual(['e5/FE', 'e2/BE', 'e1/BE']);
    expect(await ids('?type=deployment&subject=PRODUCTION')).toEqual(['e2/BE']);
    expect(await ids('?source=DB&source=CACHE')).toEqual(['e4/CACHE', 'e3/DB']);
    expect(await ids('?severity=MAJOR&severity=critical')).toEqual(['e3/DB', 'e2/BE', 'shared/BE']);
  });

  it('searches type, source, subject, version and data.description case-insensitively', async () => {
    expect(await ids('?search=INDEXES')).toEqual(['e3/DB']);
    expect(await ids('?search=2.4.0')).toEqual(['e2/BE', 'e1/BE']);
    expect(await ids('?search=50%25')).toEqual(['e5/FE']);
    expect(await ids('?search=hero_')).toEqual(['e5/FE']);
    expect(await ids('?search=staging')).toEqual(['e5/FE', 'e1/BE']);
  });

  it('reads relative and absolute from/to, and bare times in a timezone', async () => {
    expect(await ids('?from=-2h')).toEqual(['e5/FE', 'e4/CACHE']);
    expect(await ids(`?from=-25h&to=${encodeURIComponent(at(5))}`)).toEqual(['e3/DB', 'e2/BE']);
    const bare = new Date(now - 2 * HOUR).toISOString().slice(0, 19);
    expect(await ids(`?from=${bare}&timezone=UTC`)).toEqual(['e5/FE', 'e4/CACHE']);
  });

  it('pages with a cursor, every event exactly once, while new events arrive', async () => {
    const writer = await server.key('READ_WRITE');
    const seen: string[] = [];
    let cursor: string | null = null;
    let round = 0;
    do {
      const p: Page = await page(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      seen.push(...p.events.map((e) => `${e.id}/${e.source}`));
      cursor = p.nextCursor;
      // A newer event and a backdated one arrive between pages.
      await server.api('/api/v1/events', {
        method: 'POST',
        key: writer,
        body: JSON.stringify([
          { specversion: '1.0', type: 'new', source: 'NEW', time: 'NOW', id: `n${round}` },
          { specversion: '1.0', type: 'old', source: 'OLD', time: at(100 + round), id: `o${round}` },
        ]),
      });
      round++;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    for (const id of ['e5/FE', 'e4/CACHE', 'e3/DB', 'e2/BE', 'e1/BE', 'shared/BE', 'shared/FE'])
      expect(seen).toContain(id);
    expect(seen.some((s) => s.startsWith('n'))).toBe(false);
  });

  it('defaults to 25 per page and refuses a limit past 1,000', async () => {
    const res = await server.api('/api/v1/events?limit=1001', { key });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({
      code: 'VALIDATION_ERROR',
      error: 'limit: must be a whole number from 1 to 1000',
    });
    const writer = await server.key('READ_WRITE');
    const batch = Array.from({ length: 30 }, (_, i) => ({
      specversion: '1.0',
      type: 'bulk',
      source: 'BULK',
      time: 'NOW',
      id: `bulk${i}`,
    }));
    await server.api('/api/v1/events', { method: 'POST', key: writer, body: JSON.stringify(batch) });
    const first = await page('?type=bulk');
    expect(first.events).toHaveLength(25);
    expect(first.nextCursor).not.toBeNull();
  });

  it('gets one event by id, 409 naming both sources for a shared id, ?source to pick', async () => {
    const one = await server.api('/api/v1/events/e3', { key });
    expect(((await one.json()) as { data: { type: string } }).data.type).toBe('db-migration');
    const conflict = await server.api('/api/v1/events/shared', { key });
    expect(conflict.status).toBe(409);
    const body = (await conflict.json()) as { code: string; error: string };
    expect(body.code).toBe('CONFLICT');
    expect(body.error).toMatch(/"BE"/);
    expect(body.error).toMatch(/"FE"/);
    const picked = await server.api('/api/v1/events/shared?source=FE', { key });
    expect(((await picked.json()) as { data: { source: string } }).data.source).toBe('FE');
    const missing = await server.api('/api/v1/events/nope', { key });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
  });

  it('exports a range as a JSON array and as NDJSON, oldest first', async () => {
    const from = encodeURIComponent(at(25));
    const to = encodeURIComponent(at(1));
    const json = await server.api(`/api/v1/events/export?from=${from}&to=${to}`, { key });
    expect(json.headers.get('content-type')).toMatch(/application\/json/);
    const array = (await json.json()) as { id: string }[];
    expect(array.map((e) => e.id)).toEqual(['e2', 'e3', 'e4']);
    const nd = await server.api(`/api/v1/events/export?format=ndjson&from=${from}&to=${to}`, { key });
    expect(nd.headers.get('content-type')).toMatch(/ndjson/);
    const lines = (await nd.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: string });
    expect(lines.map((e) => e.id)).toEqual(['e2', 'e3', 'e4']);
    const everything = (await (await server.api('/api/v1/events/export', { key })).json()) as unknown[];
    expect(everything.length).toBeGreaterThanOrEqual(7);
  });

  it('never shows one organization the events of another', async () => {
    const other = await server.store.organizations.create(`other-${engine}`, 'Other');
    const otherKey = await server.key('READ_WRITE', other.id);
    const list = await server.api('/api/v1/events', { key: otherKey });
    expect(((await list.json()) as { data: Page }).data.events).toEqual([]);
    expect((await server.api('/api/v1/events/e3', { key: otherKey })).status).toBe(404);
    const exported = (await (
      await server.api('/api/v1/events/export', { key: otherKey })
    ).json()) as unknown[];
    expect(exported).toEqual([]);
  });
});
