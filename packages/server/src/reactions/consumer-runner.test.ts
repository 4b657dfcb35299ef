/**
 * The consumer runner on both engines: every event once and in order (with writers committing
 * alongside), effects and cursor in one transaction, backoff, poison events skipped and recorded,
 * head versus backfill, lag.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewEvent } from '@opstrails/core';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import type { EventRow } from '../store/event-rows.js';
import type { Database } from '../store/schema.js';
import { openStore, type Store } from '../store/store.js';
import type { Consumer } from './consumer.js';
import { ConsumerRunner } from './consumer-runner.js';

const T0 = Date.UTC(2026, 10, 1);
const BACKOFF = { baseMs: 1_000, maxMs: 8_000 };

const event = (id: string): NewEvent => ({
  id,
  type: 'deployment',
  source: 'RUNNER',
  time: T0,
  subject: null,
  severity: null,
  version: null,
  datacontenttype: 'application/json',
  dataschema: null,
  data: null,
  size: 50,
});

/** The handler's effect: one row per handled event, written through the batch's transaction. */
const record = async (consumer: string, rows: EventRow[], trx: Kysely<Database>) => {
  for (const row of rows)
    await sql`insert into handled (consumer, event_id, seq) values (${consumer}, ${row.id}, ${row.seq})`.execute(
      trx,
    );
};

describe.each(ENGINES)('consumer runner on %s', (engine) => {
  let store: Store;
  let orgId: string;
  let otherOrgId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-consumers-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;

  const handled = async (consumer: string): Promise<string[]> => {
    const { rows } = await sql<{ event_id: string }>`
      select event_id from handled where consumer = ${consumer} order by n`.execute(store.db);
    return rows.map((r) => r.event_id);
  };
  /**
   * Stores events and waits until the log reader returns them. On PostgreSQL a row is readable
   * once every older transaction in the cluster has ended (the horizon, event-log.ts); another
   * session's long transaction can hold that back, and a step taken before would find nothing.
   */
  const storeReadable = async (org: string, ids: string[], receivedAt = T0) => {
    const outcomes = await store.events.insert(org, ids.map(event), receivedAt);
    const seqs = outcomes.map((o) => o.seq);
    const last = Math.max(...seqs);
    const deadline = Date.now() + 30_000;
    for (;;) {
      const [row] = await store.db
        .selectFrom('events')
        .select(['txid', 'seq'])
        .where('seq', '=', last)
        .execute();
      const readable = await store.log.read({ txid: Number(row?.txid), seq: last - 1 }, 1);
      if (readable.length === 1 || Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  /** Runs one consumer's batches until it has nothing left. */
  const drain = async (runner: ConsumerRunner, consumer: Consumer, now?: number) => {
    for (;;) {
      const step = await runner.runOnce(consumer, now);
      if (step.kind !== 'handled' && step.kind !== 'skipped') return step;
    }
  };

  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    orgId = (await store.organizations.ensureDefault()).id;
    otherOrgId = (await store.organizations.create('other', 'Other')).id;
    await store.db.schema
      .createTable('handled')
      .addColumn('n', engine === 'postgres' ? 'bigserial' : 'integer', (c) =>
        engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('consumer', 'text', (c) => c.notNull())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .execute();
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('handles every event once, in log order, while writers commit alongside', async () => {
    const name = 'in-order';
    const consumer: Consumer = { name, batchSize: 7, handle: (rows, trx) => record(name, rows, trx) };
    const runner = new ConsumerRunner(store, [consumer], { pollMs: 20 });
    await runner.start();
    const sent: string[] = [];
    // Four writers in two organizations, each committing small batches while the runner reads.
    await Promise.all(
      [0, 1, 2, 3].map(async (w) => {
        for (let i = 0; i < 15; i++) {
          const ids = [`w${w}-${i}-a`, `w${w}-${i}-b`];
          await store.events.insert(w % 2 ? otherOrgId : orgId, ids.map(event), T0);
          sent.push(...ids);
          runner.wake();
        }
      }),
    );
    const deadline = Date.now() + 30_000;
    while ((await handled(name)).length < sent.length && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 20));
    await runner.stop();
    const logOrder = (await store.log.read({ txid: 0, seq: 0 }, 1_000)).map((r) => r.id);
    expect(await handled(name)).toEqual(logOrder.filter((id) => id.startsWith('w')));
    expect(new Set(await handled(name))).toEqual(new Set(sent));
    expect(sent).toHaveLength(120);
  });

  it('commits the effects and the cursor together: a handler that writes and then throws leaves neither', async () => {
    const name = 'atomic';
    let fail = true;
    const consumer: Consumer = {
      name,
      handle: async (rows, trx) => {
        await record(name, rows, trx);
        if (fail) throw new Error('downstream said no');
      },
    };
    const runner = new ConsumerRunner(store, [consumer], { backoff: BACKOFF });
    await runner.prepare();
    const before = await store.consumerCursors.get(name);
    await storeReadable(orgId, ['atomic-1']);

    const step = await runner.runOnce(consumer, T0);
    expect(step).toMatchObject({ kind: 'failed', failures: 1, until: T0 + 1_000 });
    expect(await handled(name)).toEqual([]);
    const after = await store.consumerCursors.get(name);
    expect(after?.position).toEqual(before?.position);
    expect(after?.lastError).toContain('downstream said no');

    fail = false;
    expect(await runner.runOnce(consumer, T0 + 1_000)).toEqual({ kind: 'handled', count: 1 });
    expect(await handled(name)).toEqual(['atomic-1']);
    expect(await store.consumerCursors.get(name)).toMatchObject({ failures: 0, lastError: null, retryAt: 0 });
  });

  it('retries a failing event with exponential backoff, shared through the cursor', async () => {
    const name = 'backoff';
    let calls = 0;
    const consumer: Consumer = {
      name,
      handle: async (rows, trx) => {
        calls++;
        if (calls <= 3) throw new Error(`attempt ${calls} failed`);
        await record(name, rows, trx);
      },
    };
    const runner = new ConsumerRunner(store, [consumer], { backoff: BACKOFF, maxAttempts: 5 });
    await runner.prepare();
    await storeReadable(orgId, ['backoff-1']);

    expect(await runner.runOnce(consumer, T0)).toMatchObject({
      kind: 'failed',
      failures: 1,
      until: T0 + 1_000,
    });
    // Before the delay is over nobody tries again, not even another runner on the same store.
    const other = new ConsumerRunner(store, [consumer], { backoff: BACKOFF });
    expect(await other.runOnce(consumer, T0 + 999)).toEqual({ kind: 'waiting', until: T0 + 1_000 });
    expect(calls).toBe(1);
    expect(await runner.runOnce(consumer, T0 + 1_000)).toMatchObject({ failures: 2, until: T0 + 3_000 });
    expect(await runner.runOnce(consumer, T0 + 3_000)).toMatchObject({ failures: 3, until: T0 + 7_000 });
    expect(await runner.runOnce(consumer, T0 + 7_000)).toEqual({ kind: 'handled', count: 1 });
    expect(await handled(name)).toEqual(['backoff-1']);
  });

  it('narrows a failing batch to the poison event, skips it after the bound and records it, and goes on', async () => {
    const name = 'poison';
    const consumer: Consumer = {
      name,
      batchSize: 10,
      handle: async (rows, trx) => {
        if (rows.some((r) => r.id === 'poison-3')) throw new Error('cannot parse poison-3');
        await record(name, rows, trx);
      },
    };
    const runner = new ConsumerRunner(store, [consumer], { backoff: BACKOFF, maxAttempts: 3 });
    await runner.prepare();
    await storeReadable(orgId, ['poison-1', 'poison-2', 'poison-3', 'poison-4', 'poison-5']);

    // The batch fails; the events before the poison one are handled one at a time.
    expect(await runner.runOnce(consumer, T0)).toMatchObject({ kind: 'failed', failures: 1 });
    expect(await handled(name)).toEqual(['poison-1', 'poison-2']);
    expect(await runner.runOnce(consumer, T0 + 1_000)).toMatchObject({ kind: 'failed', failures: 2 });
    expect(await runner.runOnce(consumer, T0 + 3_000)).toMatchObject({ kind: 'skipped' });
    expect(await drain(runner, consumer, T0 + 3_000)).toEqual({ kind: 'idle' });
    expect(await handled(name)).toEqual(['poison-1', 'poison-2', 'poison-4', 'poison-5']);

    const skipped = await store.consumerCursors.skipped(name);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ consumer: name, eventId: 'poison-3', orgId, attempts: 3 });
    expect(skipped[0]?.error).toContain('cannot parse poison-3');
    expect(await store.consumerCursors.get(name)).toMatchObject({ failures: 0, lastError: null });
  });

  it('starts a new consumer at the head of the log unless it asks to backfill', async () => {
    await storeReadable(orgId, ['history-1', 'history-2']);
    const fresh: Consumer = { name: 'fresh', handle: (rows, trx) => record('fresh', rows, trx) };
    const backfill: Consumer = {
      name: 'backfill',
      backfill: true,
      handle: (rows, trx) => record('backfill', rows, trx),
    };
    const runner = new ConsumerRunner(store, [fresh, backfill]);
    await runner.prepare();
    await storeReadable(orgId, ['later-1']);
    await drain(runner, fresh);
    await drain(runner, backfill);
    expect(await handled('fresh')).toEqual(['later-1']);
    const all = await handled('backfill');
    expect(all.slice(-3)).toEqual(['history-1', 'history-2', 'later-1']);
    expect(all).toHaveLength((await store.log.read({ txid: 0, seq: 0 }, 10_000)).length);
    // A restart keeps the cursor where it was: nothing is handled again.
    const restarted = new ConsumerRunner(store, [{ ...fresh, backfill: true }]);
    await restarted.prepare();
    expect(await drain(restarted, fresh)).toEqual({ kind: 'idle' });
    expect(await handled('fresh')).toEqual(['later-1']);
  });

  // The loop's pauses are the same code on both engines. The outage is a closed store: SQLite then
  // fails every query at once, while a closed PostgreSQL pool leaves Kysely waiting, which is not
  // what an unreachable server does, so this runs on SQLite.
  it.runIf(engine === 'sqlite')('waits longer and longer while the database keeps failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opstrails-outage-'));
    const lost = await openStore({ dataDir: dir });
    const errors: number[] = [];
    const consumer: Consumer = { name: 'outage', handle: async () => undefined };
    const runner = new ConsumerRunner(lost, [consumer], {
      pollMs: 20,
      onError: () => errors.push(Date.now()),
    });
    await runner.start();
    await lost.close();
    await new Promise((r) => setTimeout(r, 1_300));
    await runner.stop();
    // Pauses of 20, 40, 80, 160, 320, 640 ms: about six attempts in 1.3 s, not sixty-five.
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors.length).toBeLessThanOrEqual(8);
    const gaps = errors.slice(1).map((t, i) => t - (errors[i] as number));
    expect(gaps.at(-1)).toBeGreaterThan(gaps[0] as number);
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports its lag: events behind and the age of the oldest unhandled one', async () => {
    const name = 'lagging';
    const consumer: Consumer = { name, handle: (rows, trx) => record(name, rows, trx) };
    const runner = new ConsumerRunner(store, [consumer]);
    await runner.prepare();
    const received = Date.now();
    await storeReadable(orgId, ['lag-1', 'lag-2', 'lag-3'], received);
    const [behind] = await runner.status(received + 5_000);
    expect(behind).toMatchObject({ name, behind: 3, oldestAgeMs: 5_000, failures: 0 });
    await drain(runner, consumer);
    const [caughtUp] = await runner.status(received + 6_000);
    expect(caughtUp).toMatchObject({ name, behind: 0, oldestAgeMs: 0 });
  });
});
