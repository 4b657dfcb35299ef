/**
 * GET /api/v1/dora on the crafted timeline of dora-method.md (dora-timeline.ts holds it with the
 * hand computation), over real HTTP on every engine: every figure, every drill-down list (in the
 * answer and page by page through GET /api/v1/dora/events), the previous period, the series; a
 * list longer than the answer carries; the failure window setting and who may change it; the
 * cache and what invalidates it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleClient, errorOf, invite, setupOwner } from '../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { FROM, TIMELINE, TO } from './dora-timeline.js';

// biome-ignore lint/suspicious/noExplicitAny: the answer is walked by path; the assertions are the type check
type Dora = Record<string, any>;

const ids = (list: Dora[]): string[] => list.map((e) => e.id);
const lead = (e: Dora) => [e.id, e.hours, e.commits];
const promotion = (e: Dora) => [e.id, e.hours];
const failed = (f: Dora) => [f.id, f.evidence, f.revealedBy?.id ?? null];
const restore = (r: Dora) => [r.failedId, r.startId, r.restoredId, r.how, r.hours];
const rework = (r: Dora) => [r.id, r.reason];

/** The hand-computed drill-down lists of dora-method.md, as read off by the functions above; checked in the answer and through the pages. */
const KNOWN = {
  deployments: ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10'],
  leadTime: [
    ['d1', 15, 2],
    ['d2', 24, 1],
    ['d3', 12, 3],
    ['d7', 13, 2],
    ['d9', 2, 1],
    ['d10', 18, 2],
  ],
  unknownLeadTime: ['d4', 'd5', 'd6', 'd8'],
  promotionLeadTime: [
    ['d1', 3],
    ['d2', 25],
    ['d3', 19],
    ['d4', 5],
    ['d5', 0],
    ['d7', 25],
    ['d8', 25],
    ['d9', 0],
    ['d10', 25],
  ],
  failed: [
    ['d2', 'linked', 'inc1'],
    ['d3', 'rollback', null],
    ['d5', 'rollback', null],
    ['d8', 'window', 'inc2'],
  ],
  restores: [
    ['d2', 'inc1', 'inc1r', 'resolution', 3],
    ['d3', 'd3', 'rb1', 'rollback', 1],
    ['d5', 'd5', 'd6', 'deployment', 24],
    ['d8', 'inc2', 'inc2r', 'resolution', 2],
  ],
  reworked: [
    ['d6', 'a redeploy of the earlier version V4'],
    ['d9', 'the next deployment after the failed d8, within the failure window (4h)'],
  ],
};

describe.each(ENGINES)('DORA metrics on %s', (engine) => {
  let server: TestServer;
  let reader: string;
  let owner: ConsoleClient;
  const dora = async (query = `from=${FROM}&to=${TO}`): Promise<Dora> => {
    const res = await server.api(`/api/v1/dora?${query}`, { key: reader });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: Dora }).data;
  };

  /** Every entry of a list through GET /api/v1/dora/events, `limit` at a time, following nextCursor. */
  const walk = async (query: string, limit: number, cursor?: string) => {
    const items: unknown[] = [];
    let pages = 0;
    let total: number | undefined;
    for (let next = cursor; ; pages++) {
      const res = await server.api(
        `/api/v1/dora/events?${query}&limit=${limit}${next ? `&cursor=${next}` : ''}`,
        { key: reader },
      );
      expect(res.status).toBe(200);
      const page = ((await res.json()) as { data: Dora }).data;
      expect(page.items.length).toBeLessThanOrEqual(limit);
      total = page.total;
      items.push(...page.items);
      if (page.nextCursor === null) return { items, pages: pages + 1, total };
      expect(page.items).toHaveLength(limit);
      next = page.nextCursor;
    }
  };

  beforeAll(async () => {
    server = await startTestServer(engine);
    owner = await setupOwner(server);
    reader = await server.key('READ_ONLY');
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key: await server.key('READ_WRITE'),
      body: JSON.stringify(TIMELINE),
    });
    expect(((await res.json()) as { data: { accepted: unknown[] } }).data.accepted).toHaveLength(
      TIMELINE.length,
    );
  });
  afterAll(() => server.close());

  it('counts the production deployments of the range, with the rate and the band', async () => {
    const d = await dora();
    expect(d).toMatchObject({
      from: FROM.replace('Z', '.000Z'),
      subject: null,
      subjects: ['PRODUCTION'],
      period: 'week',
      failureWindow: '4h',
    });
    expect(d.deploymentFrequency).toMatchObject({ count: 10, perDay: 0.3333, band: 'high' });
    expect(ids(d.deploymentFrequency.deployments)).toEqual(KNOWN.deployments);
    expect(d.deploymentFrequency.series).toEqual([
      { start: '2026-11-01T00:00:00.000Z', count: 0 },
      { start: '2026-11-02T00:00:00.000Z', count: 3 },
      { start: '2026-11-09T00:00:00.000Z', count: 3 },
      { start: '2026-11-16T00:00:00.000Z', count: 3 },
      { start: '2026-11-23T00:00:00.000Z', count: 1 },
      { start: '2026-11-30T00:00:00.000Z', count: 0 },
    ]);
  });

  it('computes lead time from commits, counts the unknown ones, and promotion lead time beside it', async () => {
    const { leadTime, promotionLeadTime } = await dora();
    expect(leadTime).toMatchObject({ medianHours: 14, p90Hours: 24, n: 6, unknown: 4, band: 'elite' });
    expect(leadTime.deployments.map(lead)).toEqual(KNOWN.leadTime);
    expect(leadTime.unknownDeployments).toEqual(KNOWN.unknownLeadTime);
    expect(promotionLeadTime).toMatchObject({ medianHours: 19, p90Hours: 25, n: 9 });
    expect(promotionLeadTime.deployments.map(promotion)).toEqual(KNOWN.promotionLeadTime);
  });

  it('lists each failed deployment once, with its reason and evidence; the late incident counts nowhere', async () => {
    const { changeFailureRate: cfr } = await dora();
    expect(cfr).toMatchObject({ rate: 0.4, failed: 4, deployments: 10, band: 'low' });
    expect(cfr.failedDeployments.map(failed)).toEqual(KNOWN.failed);
    const [d2, d3, d5, d8] = cfr.failedDeployments;
    expect(d2.reason).toBe('incident inc1 names it in causationid');
    expect(d3.reason).toBe('rollback rb1 on BE PRODUCTION before the next deployment there');
    expect(d5.reason).toBe('undone by deployment d6, a redeploy of the earlier version V4');
    expect(d8.reason).toMatch(
      /^incident inc2 on PRODUCTION 30 min after it, no deployment there in between \(failure window 4h/,
    );
    expect(JSON.stringify(cfr)).not.toContain('inc3');
    expect(cfr.series.map((p: Dora) => p.failed)).toEqual([0, 2, 1, 1, 0, 0]);
    expect(cfr.series[1]).toMatchObject({ rate: 0.6667, deployments: 3 });
  });

  it('measures time to restore from the revealing incident (or the deployment) to what restored service', async () => {
    const { timeToRestore } = await dora();
    expect(timeToRestore).toMatchObject({
      medianHours: 2.5,
      p90Hours: 24,
      n: 4,
      band: 'high',
      unrestored: [],
    });
    expect(timeToRestore.restores.map(restore)).toEqual(KNOWN.restores);
  });

  it('counts rework: the redeploy of an older version and the fix right after a failure', async () => {
    const { reworkRate } = await dora();
    expect(reworkRate).toMatchObject({ rate: 0.2, n: 2, deployments: 10 });
    expect(reworkRate.reworked.map(rework)).toEqual(KNOWN.reworked);
  });

  it('gives the same figures for the period before, and names the band table', async () => {
    const { previous, bands } = await dora();
    expect(previous).toMatchObject({ from: '2026-10-02T00:00:00.000Z', to: '2026-11-01T00:00:00.000Z' });
    expect(previous.deploymentFrequency).toMatchObject({ count: 1, band: 'unknown' });
    expect(ids(previous.deploymentFrequency.deployments)).toEqual(['p0']);
    expect(previous.changeFailureRate).toMatchObject({ rate: 0, failed: 0, deployments: 1, band: 'unknown' });
    expect(previous.leadTime).toMatchObject({ medianHours: null, n: 0, unknown: 1, band: 'unknown' });
    expect(bands.source).toBe('DORA 2023 State of DevOps Report');
  });

  it('filters by subject and source', async () => {
    const staging = await dora(`from=${FROM}&to=${TO}&subject=staging`);
    expect(staging.subjects).toEqual(['STAGING']);
    expect(ids(staging.deploymentFrequency.deployments)).toEqual(['s1', 's2', 's3', 's4', 's7', 's8', 's10']);
    const be = await dora(`from=${FROM}&to=${TO}&source=be`);
    expect(be.deploymentFrequency.count).toBe(10);
    const lastMonth = await dora(`to=${TO}`);
    expect(lastMonth.from).toBe(`${FROM.replace('Z', '.000Z')}`);
    expect(lastMonth.deploymentFrequency.count).toBe(10);
    const fe = await dora(`from=${FROM}&to=${TO}&source=FE`);
    expect(fe.deploymentFrequency.count).toBe(0);
  });

  it('gives every drill-down list, of the range and of the period before, page by page through the link beside it', async () => {
    const d = await dora();
    const lists: [Dora, string, string][] = [
      [d.deploymentFrequency, 'deployments', 'deploymentFrequency'],
      [d.leadTime, 'deployments', 'leadTime'],
      [d.leadTime, 'unknownDeployments', 'leadTime.unknown'],
      [d.promotionLeadTime, 'deployments', 'promotionLeadTime'],
      [d.changeFailureRate, 'failedDeployments', 'changeFailureRate'],
      [d.timeToRestore, 'restores', 'timeToRestore'],
      [d.timeToRestore, 'unrestored', 'timeToRestore.unrestored'],
      [d.reworkRate, 'reworked', 'reworkRate'],
    ];
    for (const [figure, name, metric] of lists) {
      const link = figure.lists[name];
      expect(link).toEqual({
        total: figure[name].length,
        href: `/api/v1/dora/events?metric=${encodeURIComponent(metric)}&from=2026-11-01T00%3A00%3A00.000Z&to=2026-12-01T00%3A00%3A00.000Z`,
        nextCursor: null,
      });
      // Two at a time: the same entries, in the same order, none twice, none left out.
      const paged = await walk(link.href.split('?')[1], 2);
      expect(paged.items).toEqual(figure[name]);
      expect(paged.total).toBe(figure[name].length);
      expect(paged.pages).toBe(Math.max(1, Math.ceil(figure[name].length / 2)));
    }
    // The known answers again, read through the pages alone.
    const page = (metric: string) =>
      walk(`metric=${metric}&from=${FROM}&to=${TO}`, 3).then((p) => p.items as Dora[]);
    expect(ids(await page('deploymentFrequency'))).toEqual(KNOWN.deployments);
    expect((await page('changeFailureRate')).map(failed)).toEqual(KNOWN.failed);
    expect((await page('timeToRestore')).map(restore)).toEqual(KNOWN.restores);
    expect(await page('leadTime.unknown')).toEqual(KNOWN.unknownLeadTime);
    expect((await page('leadTime')).map(lead)).toEqual(KNOWN.leadTime);
    expect((await page('promotionLeadTime')).map(promotion)).toEqual(KNOWN.promotionLeadTime);
    expect((await page('reworkRate')).map(rework)).toEqual(KNOWN.reworked);
    expect(await page('timeToRestore.unrestored')).toEqual([]);
    // The period before links its own range.
    const before = d.previous.deploymentFrequency.lists.deployments;
    expect(before).toMatchObject({ total: 1, nextCursor: null });
    expect(ids((await walk(before.href.split('?')[1], 5)).items as Dora[])).toEqual(['p0']);
    const staging = await walk(`metric=deploymentFrequency&from=${FROM}&to=${TO}&subject=staging`, 4);
    expect(ids(staging.items as Dora[])).toEqual(['s1', 's2', 's3', 's4', 's7', 's8', 's10']);
    expect((await walk(`metric=deploymentFrequency&from=${FROM}&to=${TO}&source=FE`, 4)).items).toEqual([]);
  });

  it('caps a long list in the answer and pages the rest, across equal times, without a gap or a repeat', async () => {
    // 120 deployments, three at each minute (equal times are ordered by id), on a subject of their own.
    const base = Date.parse('2026-06-10T00:00:00Z');
    const cap = Array.from({ length: 120 }, (_, i) => ({
      specversion: '1.0',
      id: `cap-${String(i).padStart(3, '0')}`,
      type: 'deployment',
      source: 'BE',
      subject: 'CAPTEST',
      version: `C${i}`,
      time: new Date(base + Math.floor(i / 3) * 60_000).toISOString(),
    }));
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key: await server.key('READ_WRITE'),
      body: JSON.stringify([...cap].reverse()),
    });
    expect(res.status).toBeLessThan(300);
    const range = 'from=2026-06-01T00:00:00Z&to=2026-07-01T00:00:00Z&subject=CAPTEST';
    const d = await dora(range);
    const all = cap.map((e) => e.id);
    expect(d.deploymentFrequency.count).toBe(120);
    expect(ids(d.deploymentFrequency.deployments)).toEqual(all.slice(0, 50));
    const link = d.deploymentFrequency.lists.deployments;
    expect(link.total).toBe(120);
    expect(typeof link.nextCursor).toBe('string');
    // From the answer's cursor: the 70 after the 50 shown.
    const rest = await walk(`${link.href.split('?')[1]}`, 7, link.nextCursor);
    expect(ids(rest.items as Dora[])).toEqual(all.slice(50));
    expect(rest.pages).toBe(10);
    // From the start, at several page sizes, including the largest.
    for (const limit of [1, 3, 50, 500]) {
      const whole = await walk(link.href.split('?')[1], limit);
      expect(ids(whole.items as Dora[])).toEqual(all);
      expect(whole.total).toBe(120);
    }
    // Without a limit, a page holds 50.
    const first = await server.api(`${link.href}`, { key: reader });
    const firstPage = ((await first.json()) as { data: Dora }).data;
    expect(ids(firstPage.items)).toEqual(all.slice(0, 50));
    expect(firstPage).toMatchObject({ metric: 'deploymentFrequency', total: 120, subject: 'CAPTEST' });
  });

  it('refuses bad paging parameters with a 400 naming the field', async () => {
    const range = `from=${FROM}&to=${TO}`;
    for (const [query, message] of [
      [range, /^metric: is required: the list to page through, one of deploymentFrequency, leadTime, /],
      [`metric=failures&${range}`, /^metric: "failures" is not a list; use one of deploymentFrequency/],
      [
        `metric=reworkRate&${range}&cursor=bm90LWEtY3Vyc29y`,
        /^cursor: is not a cursor this server gave out; use nextCursor/,
      ],
      [`metric=reworkRate&${range}&cursor=%%%`, /^cursor: is not a cursor this server gave out/],
      [`metric=reworkRate&${range}&limit=0`, /^limit: must be a whole number from 1 to 500/],
      [`metric=reworkRate&${range}&limit=501`, /^limit: must be a whole number from 1 to 500/],
      [`metric=reworkRate&${range}&limit=ten`, /^limit: must be a whole number from 1 to 500/],
      [`metric=reworkRate&${range}&period=week`, /^period: is not a parameter here; use metric, from, to/],
      [`metric=reworkRate&from=${TO}&to=${FROM}`, /^from: must be before to/],
      [`metric=reworkRate&metric=leadTime&${range}`, /^metric: give it once/],
    ] as const) {
      const res = await server.api(`/api/v1/dora/events?${query}`, { key: reader });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatch(message);
    }
    expect((await server.api(`/api/v1/dora/events?metric=reworkRate&${range}`)).status).toBe(401);
  });

  it('refuses bad parameters with a 400 naming the field', async () => {
    for (const [query, message] of [
      ['period=year', /^period: "year" must be one of day, week, month/],
      ['from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', /^from: must be before to/],
      ['from=yesterday', /^from: /],
      ['from=-400d', /^from: the range is at most 366 days/],
      ['subjects=PRODUCTION', /^subjects: is not a parameter here/],
    ] as const) {
      const res = await server.api(`/api/v1/dora?${query}`, { key: reader });
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatch(message);
    }
  });

  it('caches per range until a deploy, rollback or incident event arrives', async () => {
    const query = 'from=-30d&period=day';
    const first = await dora(query);
    const second = await dora(query);
    expect(second.cached).toBe(true);
    expect(second.computedAt).toBe(first.computedAt);
    const writer = await server.key('READ_WRITE');
    const send = (event: object) =>
      server.api('/api/v1/events', {
        method: 'POST',
        key: writer,
        body: JSON.stringify({ specversion: '1.0', time: 'NOW', ...event }),
      });
    expect((await send({ type: 'metric', source: 'BE', subject: 'PRODUCTION' })).status).toBe(201);
    expect((await dora(query)).cached).toBe(true);
    expect(
      (await send({ type: 'deployment', source: 'BE', subject: 'PRODUCTION', version: 'V10' })).status,
    ).toBe(201);
    const after = await dora(query);
    expect(after.cached).toBe(false);
    expect(after.deploymentFrequency.count).toBe(first.deploymentFrequency.count + 1);
    // The same question asked twice at once is computed once.
    expect((await send({ type: 'incident', source: 'pagerduty', subject: 'PRODUCTION' })).status).toBe(201);
    const [a, b] = await Promise.all([dora(query), dora(query)]);
    expect([a.cached, b.cached]).toEqual([false, false]);
    expect(a.computedAt).toBe(b.computedAt);
  });

  describe('failure window setting', () => {
    it('is 4h by default; an owner session or an ADMIN key changes it, and the figures follow', async () => {
      expect(
        ((await (await server.api('/api/v1/dora/settings', { key: reader })).json()) as Dora).data,
      ).toMatchObject({
        failureWindow: '4h',
        failureWindowMinutes: 240,
        updatedAt: null,
      });
      expect(
        await owner.json('/api/v1/dora/settings', { method: 'PATCH', body: { failureWindow: '12h' } }),
      ).toMatchObject({
        failureWindow: '12h',
        failureWindowMinutes: 720,
      });
      const wide = await dora();
      expect(wide.failureWindow).toBe('12h');
      expect(wide.changeFailureRate.failedDeployments.map((f: Dora) => f.id)).toEqual([
        'd2',
        'd3',
        'd5',
        'd8',
        'd10',
      ]);
      expect(wide.changeFailureRate.failedDeployments[4].reason).toMatch(
        /^incident inc3 on PRODUCTION 540 min after it/,
      );
      const admin = await server.key('ADMIN');
      const res = await server.api('/api/v1/dora/settings', {
        method: 'PATCH',
        key: admin,
        body: JSON.stringify({ failureWindow: '4h' }),
      });
      expect(res.status).toBe(200);
      expect((await dora()).changeFailureRate.failed).toBe(4);
    });

    it('refuses READ_WRITE and READ_ONLY keys and members with 403 naming what is needed', async () => {
      for (const scope of ['READ_WRITE', 'READ_ONLY'] as const) {
        const res = await server.api('/api/v1/dora/settings', {
          method: 'PATCH',
          key: await server.key(scope),
          body: JSON.stringify({ failureWindow: '1h' }),
        });
        expect(res.status).toBe(403);
        expect(await errorOf(res)).toBe(
          `this API key is ${scope}; changing configuration needs a key of scope ADMIN (opstrails keys create --scope ADMIN, or Settings → API keys in the console)`,
        );
      }
      const member = await invite(server, owner, 'MEMBER', `member-${engine}@example.com`);
      const byMember = await member.call('/api/v1/dora/settings', {
        method: 'PATCH',
        body: { failureWindow: '1h' },
      });
      expect(byMember.status).toBe(403);
      expect(await errorOf(byMember)).toMatch(/needs the OWNER or ADMIN role; you are MEMBER/);
      const noCsrf = await owner.call('/api/v1/dora/settings', {
        method: 'PATCH',
        body: { failureWindow: '1h' },
        csrf: null,
      });
      expect(noCsrf.status).toBe(403);
      expect(await errorOf(noCsrf)).toMatch(/^X-CSRF-Token: /);
      const anonymous = await server.api('/api/v1/dora/settings', {
        method: 'PATCH',
        body: JSON.stringify({ failureWindow: '1h' }),
      });
      expect(anonymous.status).toBe(401);
      expect((await dora()).failureWindow).toBe('4h');
    });

    it('refuses bad windows with a 400 naming the field and the fix', async () => {
      for (const [body, message] of [
        [
          { failureWindow: 'soon' },
          /^failureWindow: "soon" is not a duration; write minutes, hours or days, e.g. 90m, 4h, 1d/,
        ],
        [{ failureWindow: '8d' }, /^failureWindow: "8d" is out of range; use from 5m to 7d/],
        [{ failureWindow: 4 }, /^failureWindow: must be a string such as "4h"/],
        [{}, /^failureWindow: is required/],
        [{ window: '4h' }, /^window: is not a field here/],
      ] as const) {
        const res = await owner.call('/api/v1/dora/settings', { method: 'PATCH', body });
        expect(res.status).toBe(400);
        expect(await errorOf(res)).toMatch(message);
      }
    });
  });
});
