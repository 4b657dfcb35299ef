/**
 * The stored DORA judgements (dora/judgements.ts) over real HTTP on every engine: a range read
 * from stored judgements gives the hand-computed answers of dora-method.md; the dora consumer
 * marks the days of stored events (and backfills from the start of the log); deleting events,
 * by DELETE /api/v1/events/{id} or by retention, changes the answer, cached or not; a deployment
 * sent both as `deployment` and as `deployment-status` counts once.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { DoraService } from '../src/dora/service.js';
import { ConsumerRunner } from '../src/reactions/consumer-runner.js';
import { doraConsumer } from '../src/reactions/consumers/dora.js';
import type { Store } from '../src/store/store.js';
import { FROM, TIMELINE, TO } from './dora-timeline.js';

// biome-ignore lint/suspicious/noExplicitAny: the answer is walked by path; the assertions are the type check
type Dora = Record<string, any>;

const ids = (list: { id: string }[]) => list.map((e) => e.id);
const DAY = 86_400_000;

describe.each(ENGINES)('stored DORA judgements on %s', (engine) => {
  let server: TestServer;
  let reader: string;
  let writer: string;
  let admin: string;
  const dora = async (query = `from=${FROM}&to=${TO}`): Promise<Dora> => {
    const res = await server.api(`/api/v1/dora?${query}`, { key: reader });
    expect(res.status).toBe(200);
    return ((await res.json()) as { data: Dora }).data;
  };
  const send = async (events: object[]) => {
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key: writer,
      body: JSON.stringify(events),
    });
    expect(res.status).toBeLessThan(300);
  };
  const dirtyDays = async () =>
    (
      await sql<{
        day: number;
      }>`select day from dora_dirty where org_id = ${server.defaultOrg.id} order by day`.execute(
        server.store.db,
      )
    ).rows.map((r) => Number(r.day));
  /** Waits (on a condition, not a clock) until the dora consumer has handled every stored event. */
  const consumerCaughtUp = async () => {
    for (;;) {
      const status = (await server.reactions.consumers.status()).find((s) => s.name === 'dora');
      if (status && status.behind === 0) return;
      server.reactions.consumers.wake();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  beforeAll(async () => {
    server = await startTestServer(engine);
    reader = await server.key('READ_ONLY');
    writer = await server.key('READ_WRITE');
    admin = await server.key('ADMIN');
    await send(TIMELINE);
  });
  afterAll(() => server.close());

  it('answers the hand-computed figures from stored judgements alone, once the changed days are judged', async () => {
    await consumerCaughtUp();
    // The consumer marked the day of every deploy, rollback and incident event of the timeline.
    expect(await dirtyDays()).toEqual(
      expect.arrayContaining(
        [Date.parse('2026-11-05T10:00:00Z'), Date.parse('2026-11-25T19:00:00Z')].map((t) =>
          Math.floor(t / DAY),
        ),
      ),
    );
    const first = await dora();
    // Judged: no marked day is left near the range.
    expect((await dirtyDays()).filter((d) => d >= Math.floor(Date.parse(FROM) / DAY) - 40)).toEqual([]);
    // A new service (an empty cache) only reads the stored rows, and answers the same.
    const service = new DoraService(server.store as unknown as Store);
    const again = await service.metrics(server.defaultOrg.id, {
      from: Date.parse(FROM),
      to: Date.parse(TO),
      period: 'week',
    });
    const { computedAt: _a, cached: _b, ...fromRows } = JSON.parse(JSON.stringify(again));
    const { computedAt: _c, cached: _d, ...overHttp } = first;
    expect(fromRows).toEqual(overHttp);
    expect(fromRows.changeFailureRate).toMatchObject({ rate: 0.4, failed: 4, deployments: 10 });
    expect(fromRows.changeFailureRate.failedDeployments.map((f: Dora) => [f.id, f.evidence])).toEqual([
      ['d2', 'linked'],
      ['d3', 'rollback'],
      ['d5', 'rollback'],
      ['d8', 'window'],
    ]);
    expect(fromRows.timeToRestore).toMatchObject({ medianHours: 2.5, p90Hours: 24, n: 4 });
    expect(fromRows.leadTime).toMatchObject({ medianHours: 14, p90Hours: 24, n: 6, unknown: 4 });
    expect(fromRows.promotionLeadTime).toMatchObject({ medianHours: 19, p90Hours: 25, n: 9 });
    expect(fromRows.reworkRate.reworked.map((r: Dora) => r.id)).toEqual(['d6', 'd9']);
    expect(ids(fromRows.previous.deploymentFrequency.deployments)).toEqual(['p0']);
  });

  it('backfills: a dora consumer starting on a store with events marks the days of every one of them', async () => {
    // The test support types the server from its build; these are the same objects.
    const store = server.store as unknown as Store;
    await sql`delete from dora_dirty where org_id = ${server.defaultOrg.id}`.execute(store.db);
    const consumer = { ...doraConsumer(store), name: `dora-backfill-${engine}` };
    const runner = new ConsumerRunner(store, [consumer]);
    await runner.prepare();
    let handled = 0;
    for (;;) {
      const step = await runner.runOnce(consumer);
      if (step.kind !== 'handled') break;
      handled += step.count;
    }
    expect(handled).toBeGreaterThanOrEqual(TIMELINE.length);
    const days = await dirtyDays();
    for (const e of TIMELINE.filter((e) => e.type !== 'metric'))
      expect(days).toContain(Math.floor(Date.parse(e.time) / DAY));
    expect(days).not.toContain(Math.floor(Date.parse('2026-11-18T11:00:00Z') / DAY) + 100);
  });

  it('DELETE /api/v1/events/{id} changes the answer, cached or not', async () => {
    const query = `from=${FROM}&to=${TO}&period=day`;
    await dora(query);
    expect((await dora(query)).cached).toBe(true);
    // inc2 is what failed d8 (window evidence) and what d9's rework follows from.
    const res = await server.api('/api/v1/events/inc2?source=pagerduty', { method: 'DELETE', key: admin });
    expect(res.status).toBe(200);
    const after = await dora(query);
    expect(after.cached).toBe(false);
    expect(ids(after.changeFailureRate.failedDeployments)).toEqual(['d2', 'd3', 'd5']);
    expect(ids(after.reworkRate.reworked)).toEqual(['d6']);
    // Put it back for the tests after.
    await send([TIMELINE.find((e) => e.id === 'inc2') as object]);
    expect(ids((await dora(query)).changeFailureRate.failedDeployments)).toEqual(['d2', 'd3', 'd5', 'd8']);
  });

  it('retention deleting events changes the answer, cached or not', async () => {
    const query = `from=${FROM}&to=${TO}`;
    await dora(query);
    expect((await dora(query)).cached).toBe(true);
    // What the retention job runs: every event before Nov 10 goes (p0, d1..d3, the incidents of d2, rb1).
    const removed = await server.store.events.deleteOlderThan(
      server.defaultOrg.id,
      Date.parse('2026-11-10T00:00:00Z'),
    );
    expect(removed).toBeGreaterThan(0);
    const after = await dora(query);
    expect(after.cached).toBe(false);
    expect(ids(after.deploymentFrequency.deployments)).toEqual(['d4', 'd5', 'd6', 'd7', 'd8', 'd9', 'd10']);
    expect(ids(after.changeFailureRate.failedDeployments)).toEqual(['d5', 'd8']);
    expect(after.previous.deploymentFrequency.count).toBe(0);
  });

  it('counts a deployment sent as deployment and as deployment-status once', async () => {
    const at = (day: number, hour: number) => new Date(Date.UTC(2026, 10, day, hour)).toISOString();
    const base = { specversion: '1.0', source: 'API', subject: 'LIVE' };
    await send([
      // GitHub style: the deployment, then its status naming it.
      { ...base, id: 'gh-1', type: 'deployment', version: 'A1', time: at(20, 10) },
      {
        ...base,
        id: 'gh-1-ok',
        type: 'deployment-status',
        version: 'A1',
        time: at(20, 11),
        data: { status: 'success', deploymentId: 'gh-1' },
      },
      // No link: the next event on the stream, with the same version.
      { ...base, id: 'gh-2', type: 'deployment', version: 'A2', time: at(21, 10) },
      {
        ...base,
        id: 'gh-2-ok',
        type: 'deployment-status',
        version: 'A2',
        time: at(21, 11),
        data: { status: 'success' },
      },
      // A status report alone is the deployment.
      {
        ...base,
        id: 'gh-3-ok',
        type: 'deployment-status',
        version: 'A3',
        time: at(22, 11),
        data: { status: 'success' },
      },
      // An incident naming the status report fails the deployment it reports on.
      {
        ...base,
        source: 'pagerduty',
        id: 'gh-inc',
        type: 'incident',
        time: at(23, 10),
        causationid: 'gh-1-ok',
      },
    ]);
    const live = await dora(`from=${FROM}&to=${TO}&subject=live`);
    expect(ids(live.deploymentFrequency.deployments)).toEqual(['gh-1', 'gh-2', 'gh-3-ok']);
    expect(live.changeFailureRate.failedDeployments.map((f: Dora) => [f.id, f.evidence, f.reason])).toEqual([
      ['gh-1', 'linked', 'incident gh-inc names it in causationid'],
    ]);
  });
});
