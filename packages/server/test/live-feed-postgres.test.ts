/**
 * The live feed on PostgreSQL, where row numbers are not commit order: a row whose transaction
 * commits after later rows still reaches every stream, once; and instances sharing one database
 * see each other's events (and revocations) through LISTEN/NOTIFY plus the shared log.
 */
import type { ChildProcess } from 'node:child_process';
import { validateEvent } from '@opstrails/core';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startCliServer } from '../../../test-support/cli.js';
import { PG_URL, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { toInsertRow } from '../src/store/event-rows.js';
import { SseClient } from './sse-client.js';

const describePg = PG_URL ? describe : describe.skip;

const cloudEvent = (id: string) => ({
  specversion: '1.0',
  id,
  type: 'deployment',
  source: 'order',
  time: 'NOW',
});

/** Inserts an event in a transaction left open, as a slow writer would; `commit()` ends it. */
async function openTransaction(server: TestServer, id: string): Promise<{ commit(): Promise<void> }> {
  const client = new pg.Client({ connectionString: server.storeEnv.DATABASE_URL });
  await client.connect();
  const parsed = validateEvent(cloudEvent(id), Date.now(), () => id);
  if (!parsed.ok) throw new Error(parsed.error);
  const row = toInsertRow(server.defaultOrg.id, parsed.event, Date.now());
  const columns = Object.keys(row);
  await client.query('begin');
  await client.query(
    `insert into events (${columns.join(', ')}) values (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
    Object.values(row),
  );
  return {
    async commit() {
      await client.query('commit');
      await client.end();
    },
  };
}

describePg('live feed on PostgreSQL', () => {
  let server: TestServer | undefined;
  let child: ChildProcess | undefined;
  afterEach(async () => {
    child?.kill();
    child = undefined;
    await server?.close();
    server = undefined;
  });

  it('delivers an event whose transaction committed after later ones, once, in log order', async () => {
    server = await startTestServer('postgres');
    const key = await server.key('READ_WRITE');
    const stream = await SseClient.open(`${server.url}/api/v1/events/stream?source=order`, {
      authorization: `Bearer ${key}`,
    });
    const late = await openTransaction(server, 'late');
    for (const id of ['after-1', 'after-2', 'after-3']) {
      const res = await server.api('/api/v1/events', {
        method: 'POST',
        key,
        body: JSON.stringify(cloudEvent(id)),
      });
      expect(res.status).toBe(201);
    }
    // Give the feed wake-ups and a poll while the slow transaction is still open.
    await new Promise((r) => setTimeout(r, 1_500));
    await late.commit();
    await stream.until(() => stream.deliveries.length >= 4);
    await new Promise((r) => setTimeout(r, 1_200));
    // Log order is transaction order: the late row's transaction began first.
    expect(stream.ids).toEqual(['late', 'after-1', 'after-2', 'after-3']);
    stream.close();
  }, 30_000);

  it('a stream on instance B gets every event sent to instance A, a late commit included; a revocation on A ends it', async () => {
    server = await startTestServer('postgres');
    const key = await server.key('READ_WRITE');
    const b = await startCliServer(server.storeEnv);
    child = b.child;
    const stream = await SseClient.open(`${b.url}/api/v1/events/stream?source=order`, {
      authorization: `Bearer ${key}`,
    });

    const late = await openTransaction(server, 'late-on-a');
    const sent = ['late-on-a'];
    const a = server;
    const lane = async (n: number) => {
      for (let i = 0; i < 25; i++) {
        const id = `a-${n}-${i}`;
        const res = await a.api('/api/v1/events', {
          method: 'POST',
          key,
          body: JSON.stringify(cloudEvent(id)),
        });
        expect(res.status).toBe(201);
        sent.push(id);
        if (n === 0 && i === 10) await late.commit();
      }
    };
    await Promise.all([0, 1, 2, 3].map(lane));
    await stream.until(() => stream.deliveries.length >= sent.length, 30_000);
    await new Promise((r) => setTimeout(r, 1_200));
    expect(new Set(stream.ids).size).toBe(stream.ids.length);
    expect([...stream.ids].sort()).toEqual([...sent].sort());

    const keyId = (await a.store.apiKeys.list(a.defaultOrg.id))[0]?.id as string;
    await a.store.apiKeys.revoke(a.defaultOrg.id, keyId);
    await stream.until(() => stream.ended, 5_000, 'the end of the stream on B');
  }, 60_000);
});
