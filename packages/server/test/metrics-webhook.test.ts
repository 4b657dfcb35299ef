/** The metric points webhook, the catalogue, series and metric settings over real HTTP, on both engines. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const DAY_MS = 86_400_000;
// Yesterday 10:00 UTC: inside the raw retention (8 days) and the plan's, so the store's hourly
// upkeep (roll-up and retention, which may run during the test) leaves these points as written.
const T0 = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS + 10 * 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();
// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Loose = any;

describe.each(ENGINES)('metric points on %s', (engine) => {
  let server: TestServer;
  let writer: string;
  let reader: string;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    writer = await server.key('READ_WRITE');
    reader = await server.key('READ_ONLY');
    admin = await server.key('ADMIN');
  });
  afterAll(() => server.close());

  const send = (body: unknown, key = writer) =>
    server.api('/api/v1/metrics/webhook', { method: 'POST', key, body: JSON.stringify(body) });
  const series = async (query: string) => {
    const res = await server.api(`/api/v1/metrics/series?${query}`, { key: reader });
    return { status: res.status, body: (await res.json()) as Loose };
  };

  it('stores good points, rejects each bad one by index with the field, keeps the last write', async () => {
    const good = { metric: 'checkout.error_rate', subject: 'PRODUCTION', time: iso(T0), value: 0.5 };
    const res = await send([
      good,
      { ...good, metric: 'bad name!' },
      { ...good, metric: 'x'.repeat(101) },
      { ...good, subject: '' },
      { ...good, subject: 's'.repeat(51) },
      { ...good, source: 'y'.repeat(501) },
      { ...good, time: 'yesterday' },
      { ...good, time: '2026-03-02T10:00:00' },
      { ...good, value: '0.5' },
      { ...good, value: null },
      { metric: 'm', subject: 'PRODUCTION', value: 1 },
      { ...good, colour: 'red' },
      'not an object',
      { ...good, time: T0 / 1000 + 60, value: 0.7 },
      { ...good, value: 0.9 },
    ]);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Loose;
    expect(body.data.accepted).toBe(3);
    const rejected = body.data.rejected as { index: number; error: string; code: string }[];
    expect(rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(rejected.every((r) => r.code === 'VALIDATION_ERROR')).toBe(true);
    const errors = rejected.map((r) => r.error);
    expect(errors[0]).toMatch(/^metric: .*A-Z a-z 0-9/);
    expect(errors[1]).toMatch(/^metric: /);
    expect(errors[2]).toMatch(/^subject: is empty/);
    expect(errors[3]).toMatch(/^subject: is longer than 50/);
    expect(errors[4]).toMatch(/^source: is longer than 500/);
    expect(errors[5]).toMatch(/^time: /);
    expect(errors[6]).toMatch(/^time: .*timezone/);
    expect(errors[7]).toMatch(/^value: .*without quotes/);
    expect(errors[8]).toMatch(/^value: is required/);
    expect(errors[9]).toMatch(/^time: is required/);
    expect(errors[10]).toMatch(/^colour: is not a field/);
    expect(errors[11]).toMatch(/^point: must be a JSON object/);

    // Index 14 re-sent index 0's series and time: the last write won, inside the batch...
    const read = await series(
      `metric=checkout.error_rate&subject=PRODUCTION&from=${iso(T0)}&to=${iso(T0 + 120_000)}`,
    );
    expect(read.status).toBe(200);
    expect(read.body.data.points).toEqual([
      { time: iso(T0), value: 0.9 },
      { time: iso(T0 + 60_000), value: 0.7 },
    ]);
    // ...and across requests, in the {"points": [...]} form.
    expect((await send({ points: [{ ...good, value: 0.25 }] })).status).toBe(200);
    const again = await series(
      `metric=checkout.error_rate&subject=production&from=${iso(T0)}&to=${iso(T0 + 60_000)}`,
    );
    expect(again.body.data.points).toEqual([{ time: iso(T0), value: 0.25 }]);
  });

  it('refuses a whole request that is not a list of 1-5,000 points, storing nothing', async () => {
    const point = { metric: 'whole.m', subject: 'PRODUCTION', time: iso(T0), value: 1 };
    const cases: [unknown, number, RegExp][] = [
      [[], 400, /points: is empty/],
      [{ points: 'x' }, 400, /request body: must be a JSON array/],
      [{ points: [point], extra: 1 }, 400, /extra: is not a field/],
      [Array.from({ length: 5_001 }, () => point), 413, /limit is 5000/],
    ];
    for (const [body, status, message] of cases) {
      const res = await send(body);
      expect(res.status).toBe(status);
      expect(((await res.json()) as Loose).error).toMatch(message);
    }
    const text = await server.api('/api/v1/metrics/webhook', {
      method: 'POST',
      key: writer,
      body: 'metric=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    const list = (await (await server.api('/api/v1/metrics', { key: reader })).json()) as Loose;
    expect(list.data.metrics.map((m: { name: string }) => m.name)).not.toContain('whole.m');
  });

  it('takes READ_WRITE keys for points but not READ_ONLY ones', async () => {
    const res = await send([{ metric: 'm', subject: 'PRODUCTION', time: 'NOW', value: 1 }], reader);
    expect(res.status).toBe(403);
  });

  it('aggregates to aligned steps and keeps sources apart from the whole subject', async () => {
    const base = T0 + 3_600_000;
    const points = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110].map((s, i) => ({
      metric: 'latency_p95',
      subject: 'STAGING',
      time: (base + s * 1000) / 1000,
      value: i + 1,
    }));
    points.push({
      metric: 'latency_p95',
      subject: 'STAGING',
      source: 'api',
      time: base / 1000,
      value: 1000,
    } as never);
    expect((await send(points)).status).toBe(200);
    const q = `metric=latency_p95&subject=STAGING&from=${iso(base + 30_000)}&to=${iso(base + 120_000)}`;
    // from is aligned down to the step: the first minute (values 1..6) is whole.
    expect((await series(q)).body.data.points).toEqual([
      { time: iso(base), value: 3.5 },
      { time: iso(base + 60_000), value: 9.5 },
    ]);
    expect((await series(`${q}&aggregate=max`)).body.data.points.map((p: Loose) => p.value)).toEqual([6, 12]);
    expect((await series(`${q}&aggregate=count`)).body.data.points.map((p: Loose) => p.value)).toEqual([
      6, 6,
    ]);
    expect((await series(`${q}&aggregate=last`)).body.data.points.map((p: Loose) => p.value)).toEqual([
      6, 12,
    ]);
    const two = await series(`${q}&step=2m`);
    expect(two.body.data.step).toBe('2m');
    expect(two.body.data.points).toEqual([{ time: iso(base), value: 6.5 }]);
    const sourced = await series(`${q}&source=API`);
    expect(sourced.body.data.points).toEqual([{ time: iso(base), value: 1000 }]);
  });

  it('answers a clear 400 for every bad series parameter', async () => {
    const cases: [string, RegExp][] = [
      ['subject=P', /^metric: is required/],
      ['metric=m', /^subject: is required/],
      ['metric=bad!&subject=P', /^metric: /],
      ['metric=m&subject=P&step=7x', /^step: "7x" is not a step/],
      ['metric=m&subject=P&from=-1d&step=1s', /^step: .*more than 11000 points/],
      ['metric=m&subject=P&from=soon', /^from: /],
      ['metric=m&subject=P&from=-1h&to=-2h', /^from: .* is not before to/],
      ['metric=m&subject=P&aggregate=median', /^aggregate: must be one of/],
      ['metric=m&subject=P&colour=red', /^colour: is not a parameter/],
    ];
    for (const [query, message] of cases) {
      const res = await series(query);
      expect(res.status, query).toBe(400);
      expect(res.body.error, query).toMatch(message);
    }
  });

  it('lists metrics with their direction read from the name, and PATCH changes it for configuration keys only', async () => {
    await send([
      { metric: 'orders.throughput', subject: 'PRODUCTION', source: 'shop', time: iso(T0), value: 10 },
      { metric: 'queue_depth', subject: 'PRODUCTION', time: iso(T0), value: 3 },
      { metric: 'crash_free_sessions', subject: 'PRODUCTION', time: iso(T0), value: 99.9 },
    ]);
    const list = async () =>
      ((await (await server.api('/api/v1/metrics', { key: reader })).json()) as Loose).data
        .metrics as Loose[];
    const byName = (metrics: Loose[], name: string) => metrics.find((m) => m.name === name);
    let metrics = await list();
    expect(byName(metrics, 'checkout.error_rate')).toMatchObject({
      provider: 'pushed',
      direction: 'lower-is-better',
      subjects: ['PRODUCTION'],
      sources: [],
      lastPointAt: iso(T0 + 60_000),
    });
    expect(byName(metrics, 'orders.throughput')).toMatchObject({
      direction: 'higher-is-better',
      sources: ['shop'],
    });
    expect(byName(metrics, 'crash_free_sessions').direction).toBe('higher-is-better');
    expect(byName(metrics, 'queue_depth').direction).toBe('either');

    const patch = (name: string, body: unknown, key: string) =>
      server.api(`/api/v1/metrics/${name}`, { method: 'PATCH', key, body: JSON.stringify(body) });
    expect((await patch('queue_depth', { direction: 'lower-is-better' }, writer)).status).toBe(403);
    const bad = await patch('queue_depth', { direction: 'down' }, admin);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as Loose).error).toMatch(/^direction: must be lower-is-better/);
    expect((await patch('no_such_metric', { unit: 'ms' }, admin)).status).toBe(404);
    const okRes = await patch('queue_depth', { direction: 'lower-is-better', unit: 'jobs' }, admin);
    expect(okRes.status).toBe(200);
    metrics = await list();
    expect(byName(metrics, 'queue_depth')).toMatchObject({ direction: 'lower-is-better', unit: 'jobs' });
    await patch('queue_depth', { direction: null }, admin);
    expect(byName(await list(), 'queue_depth')).toMatchObject({ direction: 'either', unit: 'jobs' });
  });

  it('takes concurrent requests over the same series in any order without failing one', async () => {
    const batch = (reverse: boolean, value: number) => {
      const points = Array.from({ length: 40 }, (_, i) => ({
        metric: 'concurrent.m',
        subject: 'PRODUCTION',
        source: `svc-${i % 20}`,
        time: (T0 + Math.floor(i / 20) * 60_000) / 1000,
        value,
      }));
      return reverse ? points.reverse() : points;
    };
    const answers = await Promise.all(Array.from({ length: 8 }, (_, n) => send(batch(n % 2 === 1, n))));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    const counted = await series(
      `metric=concurrent.m&subject=PRODUCTION&source=svc-3&from=${iso(T0)}&to=${iso(T0 + 120_000)}&aggregate=count`,
    );
    expect(counted.body.data.points.map((p: Loose) => p.value)).toEqual([1, 1]);
  });

  it('keeps organizations apart', async () => {
    const other = await server.store.organizations.create('other-metrics', 'Other');
    const otherKey = await server.key('READ_WRITE', other.id);
    const res = await server.api(
      `/api/v1/metrics/series?metric=checkout.error_rate&subject=PRODUCTION&from=${iso(T0)}&to=${iso(T0 + 60_000)}`,
      { key: otherKey },
    );
    expect(((await res.json()) as Loose).data.points).toEqual([]);
    const list = (await (await server.api('/api/v1/metrics', { key: otherKey })).json()) as Loose;
    expect(list.data.metrics).toEqual([]);
  });
});
