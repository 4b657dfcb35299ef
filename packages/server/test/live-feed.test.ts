/**
 * The live feed end to end, on both engines: every stream gets every matching event once and in
 * order, resumes exactly from any id it was given, replays from the start without stalling the
 * server, and 300 streams on one instance all keep up.
 */
import { type NewEvent, validateEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { SseClient } from './sse-client.js';

const T0 = Date.UTC(2026, 10, 1);

/** A CloudEvent to POST; `i` makes its id unique. */
const cloudEvent = (i: number, extra: Record<string, unknown> = {}) => ({
  specversion: '1.0',
  id: `live-${i}`,
  type: i % 3 === 0 ? 'Deployment' : 'incident',
  source: 'BE',
  subject: i % 2 === 0 ? 'PRODUCTION' : 'staging',
  time: new Date(T0 + i * 1_000).toISOString(),
  data: { description: `event ${i}` },
  ...extra,
});

/** The same events as NewEvents, for seeding the store directly. */
function newEvents(from: number, count: number, prefix: string): NewEvent[] {
  const out: NewEvent[] = [];
  for (let i = from; i < from + count; i++) {
    const result = validateEvent({ ...cloudEvent(i), id: `${prefix}-${i}` }, T0, () => 'unused');
    if (!result.ok) throw new Error(result.error);
    out.push(result.event);
  }
  return out;
}

describe.each(ENGINES)('live feed (%s)', (engine) => {
  let server: TestServer;
  let key: string;
  const stream = (query = '', headers: Record<string, string> = {}) =>
    SseClient.open(`${server.url}/api/v1/events/stream${query}`, {
      authorization: `Bearer ${key}`,
      ...headers,
    });
  const post = async (events: unknown[]) => {
    const res = await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(events) });
    expect(res.status).toBe(200);
  };
  /** Ids the list endpoint returns for `query`, oldest first: what a stream with that filter must deliver. */
  const listed = async (query: string) => {
    const res = await server.api(`/api/v1/events?limit=1000${query ? `&${query}` : ''}`, { key });
    const page = (await res.json()) as { data: { events: { id: string }[] } };
    return page.data.events.map((e) => e.id).reverse();
  };

  beforeAll(async () => {
    server = await startTestServer(engine);
    key = await server.key('READ_WRITE');
  });
  afterAll(() => server?.close());

  it('hands each new event once, in order, to every stream whose filter matches (as the list filters)', async () => {
    const all = await stream();
    const deployments = await stream('?type=deployment');
    const production = await stream('?subject=production&type=DEPLOYMENT&type=incident');
    const searched = await stream('?search=EVENT%201');
    for (let batch = 0; batch < 5; batch++) {
      await post(Array.from({ length: 12 }, (_, j) => cloudEvent(batch * 12 + j)));
    }
    await all.until(() => all.deliveries.length >= 60);
    const expected = {
      all: await listed(''),
      deployments: await listed('type=deployment'),
      production: await listed('subject=production&type=DEPLOYMENT&type=incident'),
      searched: await listed('search=EVENT%201'),
    };
    expect(expected.all).toHaveLength(60);
    expect(expected.deployments.length).toBeGreaterThan(0);
    expect(expected.deployments.length).toBeLessThan(60);
    for (const [client, ids] of [
      [deployments, expected.deployments],
      [production, expected.production],
      [searched, expected.searched],
    ] as const) {
      await client.until(() => client.deliveries.length >= ids.length);
    }
    // Nothing more trickles in after a poll interval.
    await new Promise((r) => setTimeout(r, 1_200));
    expect(all.ids).toEqual(expected.all);
    expect(deployments.ids).toEqual(expected.deployments);
    expect(production.ids).toEqual(expected.production);
    expect(searched.ids).toEqual(expected.searched);
    for (const client of [all, deployments, production, searched]) client.close();
  });

  it('resumes exactly from an event id, from the connected line, and from 0; refuses ids it never gave', async () => {
    const first = await stream('?source=resume');
    const connectedId = first.connectedId as string;
    expect(connectedId).toMatch(/^\d+\.\d+$/);
    const events = (from: number, n: number) =>
      Array.from({ length: n }, (_, j) => cloudEvent(1_000 + from + j, { source: 'resume' }));
    await post(events(0, 5));
    await first.until(() => first.deliveries.length === 5);
    const third = first.deliveries[2]?.sseId as string;
    expect(third).toMatch(/^\d+$/);
    first.close();
    await post(events(5, 3));

    const fromConnected = await stream('?source=resume', { 'last-event-id': connectedId });
    const fromThird = await stream(`?source=resume&lastEventId=${third}`);
    const fromStart = await stream('?source=resume', { 'last-event-id': '0' });
    expect(fromThird.connectedId).toBe(third);
    await post(events(8, 2));
    const ids = (from: number, to: number) =>
      Array.from({ length: to - from }, (_, j) => `live-${1_000 + from + j}`);
    for (const [client, want] of [
      [fromConnected, ids(0, 10)],
      [fromThird, ids(3, 10)],
      [fromStart, ids(0, 10)],
    ] as const) {
      await client.until(() => client.deliveries.length >= want.length);
      await new Promise((r) => setTimeout(r, 300));
      expect(client.ids).toEqual(want);
      client.close();
    }

    for (const bad of ['abc', '-1', '1.2.3', '1e3', '99999999999999999999', '1.99999999999999999999', '.5']) {
      const res = await server.api('/api/v1/events/stream', { key, headers: { 'last-event-id': bad } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain('Last-Event-ID');
    }
  });

  it('replays 20,000 events to 6 clients from Last-Event-ID: 0 while /healthz keeps answering, then goes live without gap', async () => {
    const { store } = server;
    const org = server.defaultOrg.id;
    for (let i = 0; i < 20_000; i += 1_000) await store.events.insert(org, newEvents(i, 1_000, 'bulk'), T0);
    const total = (await listedCount()) as number;

    let healthy = true;
    const checks: number[] = [];
    const clients = await Promise.all(Array.from({ length: 6 }, () => stream('', { 'last-event-id': '0' })));
    const probe = (async () => {
      while (clients.some((c) => c.deliveries.length < total)) {
        const res = await fetch(`${server.url}/healthz`);
        checks.push(res.status);
        if (res.status !== 200) healthy = false;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    // Events sent during the replays arrive once each, after the replayed ones.
    await post([cloudEvent(50_000), cloudEvent(50_001)]);
    await Promise.all(clients.map((c) => c.until(() => c.deliveries.length >= total + 2, 120_000)));
    await probe;
    expect(healthy).toBe(true);
    expect(checks.length).toBeGreaterThan(0);
    for (const client of clients) {
      const ids = client.ids;
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.slice(-2)).toEqual(['live-50000', 'live-50001']);
      const seqs = client.deliveries.map((d) => Number(d.sseId));
      if (engine === 'sqlite') expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      client.close();
    }
  }, 180_000);

  /**
   * Events stored in the organization, counted through the store's log once it shows every stored
   * row: on PostgreSQL another file's write transaction may hold the log's horizon back for a moment.
   */
  async function listedCount(): Promise<number> {
    const orgId = server.defaultOrg.id;
    const stored = await server.store.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirstOrThrow();
    let listed = 0;
    await vi.waitFor(
      async () => {
        listed = (await server.store.log.read({ txid: 0, seq: 0 }, 1_000_000, { orgId })).length;
        expect(listed).toBe(Number(stored.n));
      },
      { timeout: 20_000, interval: 100 },
    );
    return listed;
  }

  it('keeps 300 streams on one instance up to date while /healthz answers', async () => {
    const clients: SseClient[] = [];
    for (let i = 0; i < 300; i += 50)
      clients.push(...(await Promise.all(Array.from({ length: 50 }, () => stream('?source=fan')))));
    const statuses: number[] = [];
    const sent: string[] = [];
    for (let round = 0; round < 10; round++) {
      const batch = Array.from({ length: 5 }, (_, j) =>
        cloudEvent(60_000 + round * 5 + j, { source: 'fan' }),
      );
      await post(batch);
      sent.push(...batch.map((e) => e.id));
      statuses.push((await fetch(`${server.url}/healthz`)).status);
    }
    await Promise.all(clients.map((c) => c.until(() => c.deliveries.length >= sent.length, 60_000)));
    expect(statuses.every((s) => s === 200)).toBe(true);
    for (const client of clients) {
      expect(client.ids).toEqual(sent);
      client.close();
    }
  }, 120_000);
});
