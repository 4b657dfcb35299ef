/**
 * The reads behind the console's feed facets and event page: GET /api/v1/events/facets (counts
 * per type, source, subject and severity for the current filters, each facet without its own
 * filter, and the number of matches) and GET /api/v1/promotion (a version's path through the
 * environments, with the rung it skipped).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const SENT = [
  { id: 'f-1', type: 'deployment', source: 'BE', subject: 'STAGING', version: '2.5.0', severity: 'LOW' },
  { id: 'f-2', type: 'deployment', source: 'BE', subject: 'PRODUCTION', version: '2.5.0', severity: 'MAJOR' },
  { id: 'f-3', type: 'Deployment', source: 'be', subject: 'production', version: '2.6.0' },
  { id: 'f-4', type: 'cache-purge', source: 'CDN', subject: 'PRODUCTION', severity: 'LOW' },
  { id: 'f-5', type: 'deployment', source: 'FE', subject: 'DEV', version: '9.0.0', severity: 'MINOR' },
];

describe.each(ENGINES)('console reads on %s', (engine) => {
  let server: TestServer;
  let key: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify(
        SENT.map((e, i) => ({ specversion: '1.0', time: `2026-11-30T10:0${i}:00Z`, ...e })),
      ),
    });
    expect(((await res.json()) as { data: { rejected: unknown[] } }).data.rejected).toEqual([]);
  });
  afterAll(() => server.close());

  const get = async (path: string) => {
    const res = await server.api(path, { key });
    return { status: res.status, body: (await res.json()) as { data: never; error?: string } };
  };

  it('counts each facet for the current filters, leaving out its own filter', async () => {
    const all = await get('/api/v1/events/facets');
    expect(all.status).toBe(200);
    expect(all.body.data).toMatchObject({
      total: 5,
      type: {
        values: [
          { value: 'deployment', count: 3 },
          { value: 'Deployment', count: 1 },
          { value: 'cache-purge', count: 1 },
        ],
        others: 0,
      },
      severity: {
        values: [
          { value: 'LOW', count: 2 },
          { value: 'MAJOR', count: 1 },
          { value: 'MINOR', count: 1 },
        ],
      },
    });

    // Filters match in any case; the source facet still lists every source to switch to.
    const be = await get('/api/v1/events/facets?source=be&from=2026-11-30T10:01:00Z');
    expect(be.body.data).toMatchObject({
      total: 2,
      source: {
        values: [
          { value: 'BE', count: 1 },
          { value: 'CDN', count: 1 },
          { value: 'FE', count: 1 },
          { value: 'be', count: 1 },
        ],
      },
      subject: {
        values: [
          { value: 'PRODUCTION', count: 1 },
          { value: 'production', count: 1 },
        ],
      },
    });

    const typed = await get('/api/v1/events/facets?type=DEPLOYMENT');
    expect((typed.body.data as { total: number }).total).toBe(4);

    const bad = await get('/api/v1/events/facets?severity=LOUD');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('severity');
  });

  it('answers the promotion path of a version and names a missing version', async () => {
    const path = await get('/api/v1/promotion?version=2.5.0&source=BE');
    expect(path.status).toBe(200);
    expect(path.body.data).toMatchObject({
      version: '2.5.0',
      source: 'BE',
      steps: [
        { subject: 'STAGING', eventId: 'f-1', rung: 'STAGING' },
        { subject: 'PRODUCTION', eventId: 'f-2', rung: 'PRODUCTION' },
      ],
      skipped: [],
    });
    // 2.6.0 went straight to production although the organization has a staging.
    const skipped = await get('/api/v1/promotion?version=2.6.0');
    expect((skipped.body.data as { skipped: { skipped: string[] }[] }).skipped[0]?.skipped).toEqual([
      'STAGING',
    ]);

    const missing = await get('/api/v1/promotion');
    expect(missing.status).toBe(400);
    expect(missing.body.error).toContain('version');
  });
});
