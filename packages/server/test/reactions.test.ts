/**
 * Reactions in a running server, on both engines: events sent over HTTP reach a consumer through
 * the wake-up after commit (its poll is set to a minute, so nothing else could deliver them in
 * time), the consumer's outbox rows reach a loopback receiver once each, and ingest running
 * alongside the consumer's transactions never collides with them (on SQLite both take the one
 * connection).
 */
import type { Consumer, Store } from '@opstrails/server';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpSender, type Receiver, startReceiver } from '../../../test-support/loopback-receiver.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A consumer in a dozen lines: a delivery for every incident, queued in the batch's transaction. */
const incidentNotifier = (store: Store): Consumer => ({
  name: 'incident-notifier',
  async handle(events, trx) {
    const incidents = events.filter((e) => e.type === 'incident');
    await store.outbox.enqueue(
      incidents.map((e) => ({
        idempotencyKey: `incident-notifier:${e.org_id}:${e.seq}`,
        orgId: e.org_id,
        kind: 'test-webhook',
        payload: { text: `incident ${e.id} on ${e.subject ?? 'everything'}` },
      })),
      trx,
    );
    await sql`update event_counter set n = n + ${events.length}`.execute(trx);
  },
});

describe.each(ENGINES)('reactions in a server on %s', (engine) => {
  let server: TestServer;
  let receiver: Receiver;
  let key: string;

  beforeAll(async () => {
    receiver = await startReceiver();
    server = await startTestServer(
      engine,
      {},
      {
        consumers: [incidentNotifier],
        senders: [httpSender(receiver.url)],
        consumerOptions: { pollMs: engine === 'sqlite' ? 60_000 : 500 },
        outboxOptions: { pollMs: 60_000 },
      },
    );
    await sql`create table event_counter (n integer not null)`.execute(server.store.db);
    await sql`insert into event_counter (n) values (0)`.execute(server.store.db);
    key = await server.key();
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('hands every event sent over HTTP to the consumer, and its deliveries to the receiver once each', async () => {
    const send = (lane: number, i: number) =>
      server.api('/api/v1/events', {
        method: 'POST',
        key,
        body: JSON.stringify(
          [0, 1, 2].map((j) => ({
            specversion: '1.0',
            id: `r-${lane}-${i}-${j}`,
            source: 'REACT',
            type: j === 0 && i % 5 === 0 ? 'incident' : 'deployment',
            subject: 'PRODUCTION',
            time: 'NOW',
          })),
        ),
      });
    await Promise.all(
      [0, 1, 2, 3].map(async (lane) => {
        for (let i = 0; i < 20; i++) expect((await send(lane, i)).status).toBe(200);
      }),
    );
    const counted = async () =>
      Number((await sql<{ n: number }>`select n from event_counter`.execute(server.store.db)).rows[0]?.n);
    const deadline = Date.now() + 15_000;
    while ((receiver.received.length < 16 || (await counted()) < 240) && Date.now() < deadline)
      await sleep(20);

    expect(await counted()).toBe(240);
    const keys = receiver.received.map((r) => r.key);
    expect(keys).toHaveLength(16);
    expect(new Set(keys).size).toBe(16);
    expect(receiver.received[0]?.body).toMatchObject({
      text: expect.stringMatching(/^incident r-\d-\d+-0 on PRODUCTION$/),
    });
    const status = (await server.reactions.consumers.status()).find((c) => c.name === 'incident-notifier');
    expect(status).toMatchObject({ name: 'incident-notifier', behind: 0, failures: 0, lastError: null });
    const delivered = await server.store.outbox.list(server.defaultOrg.id, { state: 'delivered' });
    expect(delivered).toHaveLength(16);
  });
});
