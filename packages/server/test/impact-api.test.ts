/**
 * Impact over real HTTP on both engines: metric points pushed to the webhook around a deploy, the
 * event's impact and a moment's, the stored verdict the impact job fills in (with the
 * `impact.regression` notification queued to the regression channel), the regressions list, and
 * the bad inputs. The series are planted here, so the test knows the true answer.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { loadConfig } from '../src/config.js';
import { fillInVerdicts } from '../src/impact/fill-in.js';
import { ImpactVerdictRepository } from '../src/store/impact-verdicts.js';

const MIN = 60_000;
// Whole minutes, three hours ago: the 2h after-window (plus 5 minutes to settle) has passed.
const T = Math.floor((Date.now() - 3 * 3_600_000) / MIN) * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Loose = any;

/** A deterministic wobble of +-4% so the series are noisy but reproducible. */
const wobble = (i: number) => 1 + 0.04 * Math.sin(i * 2.3) * Math.cos(i * 0.7);

function points(metric: string, subject: string, value: (t: number, i: number) => number | null) {
  const out = [];
  for (let t = T - 120 * MIN, i = 0; t < T + 125 * MIN; t += MIN, i++) {
    const v = value(t, i);
    if (v !== null) out.push({ metric, subject, time: iso(t), value: v });
  }
  return out;
}

describe.each(ENGINES)('impact on %s', (engine) => {
  let server: TestServer;
  let writer: string;
  let reader: string;
  let admin: string;
  let deployId: string;

  const get = async (path: string, key = reader) => {
    const res = await server.api(path, { key });
    return { status: res.status, body: (await res.json()) as Loose };
  };
  const send = (path: string, body: unknown, key = writer, method = 'POST') =>
    server.api(path, { method, key, body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startTestServer(engine);
    writer = await server.key('READ_WRITE');
    reader = await server.key('READ_ONLY');
    admin = await server.key('ADMIN');
    const batch = [
      ...points('error_rate', 'PRODUCTION', (t, i) => (t < T ? 0.12 : 2.41) * wobble(i)),
      ...points('throughput', 'PRODUCTION', (t, i) => (t < T ? 1200 : 1180) * wobble(i + 7)),
      // A gap: the exporter stopped at the deploy.
      ...points('queue_depth', 'PRODUCTION', (t, i) => (t < T ? 40 * wobble(i) : null)),
      ...points('error_rate', 'STAGING', (_t, i) => 0.5 * wobble(i)),
    ];
    const res = await send('/api/v1/metrics/webhook', batch);
    expect(((await res.json()) as Loose).data.accepted).toBe(batch.length);
    expect((await send('/api/v1/metrics/error_rate', { unit: '%' }, admin, 'PATCH')).status).toBe(200);
    expect((await send('/api/v1/metrics/throughput', { unit: 'req/s' }, admin, 'PATCH')).status).toBe(200);

    const deploy = {
      specversion: '1.0',
      type: 'deployment',
      source: '//github.com/acme/api',
      subject: 'PRODUCTION',
      version: 'v2.4.1',
      time: iso(T),
    };
    const created = (await (await send('/api/v1/events', deploy)).json()) as Loose;
    deployId = created.data.id;
    await send('/api/v1/events', {
      ...deploy,
      source: '//github.com/acme/db',
      version: 'v9',
      time: iso(T + 10 * MIN),
    });
  });
  afterAll(() => server.close());

  it("judges an event's impact per metric, with overlapping events named", async () => {
    const { status, body } = await get(`/api/v1/events/${deployId}/impact`);
    expect(status).toBe(200);
    const d = body.data;
    expect(d.event.id).toBe(deployId);
    expect(d.window).toBe('2h');
    expect(d.settleMinutes).toBe(5);
    expect(d.before).toEqual({ from: iso(T - 120 * MIN), to: iso(T) });
    expect(d.after).toEqual({ from: iso(T + 5 * MIN), to: iso(T + 125 * MIN) });
    expect(d.provisional).toBe(false);
    const byName = Object.fromEntries(d.metrics.map((m: Loose) => [m.metric, m]));
    expect(byName.error_rate.verdict).toBe('regressed');
    expect(byName.error_rate.before.n).toBe(120);
    expect(byName.error_rate.after.n).toBe(120);
    expect(byName.error_rate.test.pValue).toBeLessThan(0.001);
    expect(byName.error_rate.test.method).toMatch(/^Mann-Whitney U/);
    expect(byName.error_rate.reason).toMatch(
      /^error_rate rose from 0\.12% to 2\.4\d% \(20x\) in the 2 hours after the deploy; p < 0\.001; 1 other event on PRODUCTION in that time \(deployment of \/\/github\.com\/acme\/db v9/,
    );
    expect(byName.throughput.verdict).toBe('no_significant_change');
    expect(byName.queue_depth.verdict).toBe('not_enough_data');
    expect(byName.queue_depth.test).toBeNull();
    expect(d.overlapping.map((e: Loose) => e.source)).toEqual(['//github.com/acme/db']);
    expect(d.summary.verdict).toBe('regressed');
    expect(d.summary.text).toMatch(/^Regressed in the 2 hours after the deploy: error_rate regressed/);
  });

  it('judges a moment by time and subject, and says so when nothing is mapped', async () => {
    const { body } = await get(`/api/v1/impact?time=${iso(T)}&subject=production&window=1h`);
    expect(body.data.event).toBeNull();
    expect(body.data.window).toBe('1h');
    const rate = body.data.metrics.find((m: Loose) => m.metric === 'error_rate');
    expect(rate.verdict).toBe('regressed');
    expect(rate.after.n).toBe(60);
    // Half an hour ago: the after-window has not passed, so the answer says it is provisional.
    const recent = await get('/api/v1/impact?time=-30m&subject=PRODUCTION');
    expect(recent.body.data.provisional).toBe(true);
    const none = await get(`/api/v1/impact?time=${iso(T)}&subject=QA`);
    expect(none.body.data.metrics).toEqual([]);
    expect(none.body.data.summary).toEqual({
      verdict: 'no_metrics',
      text: expect.stringMatching(/^No metric is mapped to QA/),
    });
  });

  it('answers bad input with a 400 naming the field, an unknown event with 404', async () => {
    const bad = await get(`/api/v1/events/${deployId}/impact?window=3h`);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('window: must be one of 1h, 2h, 4h, 6h, 12h, 24h, not "3h"');
    expect((await get('/api/v1/events/nope/impact')).status).toBe(404);
    expect((await get(`/api/v1/impact?time=${iso(T)}`)).body.error).toMatch(/^subject: is required/);
    expect((await get('/api/v1/impact?subject=PRODUCTION')).body.error).toMatch(/^time: is required/);
    expect((await get('/api/v1/impact?subject=PRODUCTION&time=soon')).status).toBe(400);
    expect((await get('/api/v1/regressions?limit=0')).body.error).toMatch(/^limit: /);
    expect((await get('/api/v1/regressions?cursor=zz')).body.error).toMatch(/^cursor: /);
  });

  it('the job stores the verdict, queues the regression notification and lists the regression', async () => {
    const channel = (await (
      await send(
        '/api/v1/channels',
        { type: 'webhook', name: 'Regressions', config: { url: 'https://hooks.example.com/r' } },
        admin,
      )
    ).json()) as Loose;
    expect(
      (await send('/api/v1/notifications/settings', { regressionChannels: [channel.data.id] }, admin, 'PUT'))
        .status,
    ).toBe(200);
    const repo = new ImpactVerdictRepository(server.store.db);
    // The consumer records both deploys as pending judgements once it has read them.
    const deadline = Date.now() + 10_000;
    let row = await repo.forEvent(server.defaultOrg.id, '//github.com/acme/api', deployId);
    while (!row && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      row = await repo.forEvent(server.defaultOrg.id, '//github.com/acme/api', deployId);
    }
    expect(row?.due_at).toBe(T + 125 * MIN);
    const config = loadConfig(
      { OPSTRAILS_LOG_LEVEL: 'silent' },
      { dataDir: server.dataDir, host: '127.0.0.1', port: 0 },
    );
    await fillInVerdicts(
      // The test server's type comes from the built package; the store is the same object.
      server.store as unknown as Parameters<typeof fillInVerdicts>[0],
      config,
    );
    // A pending judgement whose event is gone (retention, a deleted organization's import) is given up, not retried.
    await repo.addPending(
      [
        {
          orgId: server.defaultOrg.id,
          eventId: 'gone',
          eventSource: 'X',
          eventTime: T,
          subject: 'PRODUCTION',
          window: '2h',
          dueAt: T,
        },
      ],
      Date.now(),
    );
    await fillInVerdicts(
      // The test server's type comes from the built package; the store is the same object.
      server.store as unknown as Parameters<typeof fillInVerdicts>[0],
      config,
    );
    const judged = await repo.forEvent(server.defaultOrg.id, '//github.com/acme/api', deployId);
    expect(judged?.verdict).toBe('regressed');
    const gone = await repo.forEvent(server.defaultOrg.id, 'X', 'gone');
    expect(gone).toMatchObject({ verdict: 'failed', summary: 'the event is no longer stored' });

    const { rows } = await sql<{ payload: string }>`select payload from outbox`.execute(server.store.db);
    const regression = rows
      .map((r) => JSON.parse(r.payload))
      .find((p) => p.notification?.kind === 'impact.regression');
    expect(regression.channelId).toBe(channel.data.id);
    expect(regression.notification.title).toBe(
      'Regression after the deployment of //github.com/acme/api v2.4.1 to PRODUCTION',
    );
    expect(regression.notification.text).toMatch(/^Regressed in the 2 hours after the deploy/);

    const list = await get('/api/v1/regressions?subject=production');
    expect(list.status).toBe(200);
    const ids = list.body.data.regressions.map((r: Loose) => r.event.id);
    expect(ids).toContain(deployId);
    const mine = list.body.data.regressions.find((r: Loose) => r.event.id === deployId);
    expect(mine.metrics.map((m: Loose) => m.metric)).toEqual(['error_rate']);
    expect(mine.summary.verdict).toBe('regressed');
    expect((await get('/api/v1/regressions?subject=STAGING')).body.data.regressions).toEqual([]);
  });
});
