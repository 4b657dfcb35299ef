/**
 * The outbox worker against a loopback HTTP receiver, on both engines: delivered once with its
 * idempotency key, retried on 500 with backoff, failed after the bound with the last answer kept,
 * and (PostgreSQL) two workers on one store never send the same row.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { httpSender, type Receiver, startReceiver } from '../../../../test-support/loopback-receiver.js';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { openStore, type Store } from '../store/store.js';
import { OutboxWorker } from './outbox-worker.js';

const BACKOFF = { baseMs: 1_000, maxMs: 60_000 };

describe.each(ENGINES)('outbox worker on %s', (engine) => {
  let store: Store;
  let orgId: string;
  let receiver: Receiver;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-outbox-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  const storeOptions = { dataDir, databaseUrl: engine === 'postgres' ? PG_URL : undefined, pgSchema: schema };

  beforeAll(async () => {
    store = await openStore(storeOptions);
    orgId = (await store.organizations.ensureDefault()).id;
    receiver = await startReceiver();
  });
  beforeEach(() => receiver.reset());
  afterAll(async () => {
    await receiver.close();
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('delivers a queued row once, with its idempotency key; enqueueing the same key again adds nothing', async () => {
    const worker = new OutboxWorker(store, [httpSender(receiver.url)], { backoff: BACKOFF });
    const delivery = { idempotencyKey: 'once-1', orgId, kind: 'test-webhook', payload: { text: 'deployed' } };
    await store.outbox.enqueue([delivery]);
    await store.outbox.enqueue([delivery]);
    expect(await worker.runOnce()).toBe(1);
    expect(await worker.runOnce()).toBe(0);
    expect(receiver.received).toEqual([{ key: 'once-1', body: { text: 'deployed' } }]);
    const [row] = await store.outbox.list(orgId, { kind: 'test-webhook' });
    expect(row).toMatchObject({
      idempotencyKey: 'once-1',
      state: 'delivered',
      attempts: 1,
      lastAnswer: '200 ok',
    });
  });

  it('retries on 500 with growing, jittered delays, then delivers', async () => {
    receiver.answerWith((n) =>
      n <= 2 ? { status: 500, body: 'try later' } : { status: 202, body: 'taken' },
    );
    const worker = new OutboxWorker(store, [httpSender(receiver.url)], { backoff: BACKOFF, maxAttempts: 5 });
    await store.outbox.enqueue([
      { idempotencyKey: 'retry-1', orgId, kind: 'test-webhook', payload: { n: 1 } },
    ]);
    const id = (await store.outbox.list(orgId))[0]?.id as number;

    const t1 = Date.now();
    expect(await worker.runOnce(t1)).toBe(1);
    const first = await store.outbox.get(id);
    expect(first).toMatchObject({ state: 'pending', attempts: 1, lastAnswer: '500 try later' });
    // First delay: between half and all of the base.
    expect(first?.nextAttemptAt).toBeGreaterThanOrEqual(t1 + 500);
    expect(first?.nextAttemptAt).toBeLessThanOrEqual(t1 + 1_000 + 1_000);
    expect(await worker.runOnce(t1)).toBe(0);

    const t2 = first?.nextAttemptAt as number;
    expect(await worker.runOnce(t2)).toBe(1);
    const second = await store.outbox.get(id);
    expect(second).toMatchObject({ state: 'pending', attempts: 2 });
    // Second delay: between half and all of twice the base.
    expect(second?.nextAttemptAt).toBeGreaterThanOrEqual(t2 + 1_000);
    expect(second?.nextAttemptAt).toBeLessThanOrEqual(t2 + 2_000 + 1_000);

    expect(await worker.runOnce(second?.nextAttemptAt)).toBe(1);
    expect(await store.outbox.get(id)).toMatchObject({
      state: 'delivered',
      attempts: 3,
      lastAnswer: '202 taken',
    });
    expect(receiver.received.map((r) => r.key)).toEqual(['retry-1', 'retry-1', 'retry-1']);
  });

  it('gives up after the bound, keeping the last answer; a dead receiver is an answer too', async () => {
    receiver.answerWith((n) => ({ status: 503, body: `down for maintenance (${n})` }));
    const worker = new OutboxWorker(store, [httpSender(receiver.url)], { backoff: BACKOFF, maxAttempts: 3 });
    await store.outbox.enqueue([{ idempotencyKey: 'fail-1', orgId, kind: 'test-webhook', payload: {} }]);
    const id = (await store.outbox.list(orgId))[0]?.id as number;
    let at = Date.now();
    for (let i = 0; i < 3; i++) {
      expect(await worker.runOnce(at)).toBe(1);
      at = ((await store.outbox.get(id))?.nextAttemptAt ?? 0) + 1;
    }
    expect(await store.outbox.get(id)).toMatchObject({
      state: 'failed',
      attempts: 3,
      lastAnswer: '503 down for maintenance (3)',
    });
    expect(await worker.runOnce(at + 3_600_000)).toBe(0);
    expect(await store.outbox.list(orgId, { state: 'failed' })).toHaveLength(1);

    const nobody = new OutboxWorker(store, [httpSender('http://127.0.0.1:9/nothing-listens')], {
      backoff: BACKOFF,
      maxAttempts: 1,
    });
    await store.outbox.enqueue([{ idempotencyKey: 'fail-2', orgId, kind: 'test-webhook', payload: {} }]);
    expect(await nobody.runOnce()).toBe(1);
    const [dead] = await store.outbox.list(orgId, { state: 'failed', limit: 1 });
    expect(dead).toMatchObject({ idempotencyKey: 'fail-2', attempts: 1 });
    expect(dead?.lastAnswer).toMatch(/fetch failed/);
  });

  it('prunes finished deliveries older than asked, in batches, and keeps the rest', async () => {
    const worker = new OutboxWorker(store, [httpSender(receiver.url, 'prune-test')], { maxAttempts: 1 });
    receiver.answerWith((n) => ({ status: n % 2 ? 200 : 500, body: 'x' }));
    await store.outbox.enqueue(
      ['p1', 'p2', 'p3', 'p4'].map((k) => ({ idempotencyKey: k, orgId, kind: 'prune-test', payload: {} })),
    );
    expect(await worker.runOnce()).toBe(4);
    await store.outbox.enqueue([{ idempotencyKey: 'p5', orgId, kind: 'prune-test', payload: {} }]);
    const states = async () =>
      (await store.outbox.list(orgId, { kind: 'prune-test' })).map((d) => d.state).sort();
    expect(await states()).toEqual(['delivered', 'delivered', 'failed', 'failed', 'pending']);
    expect(await store.outbox.prune(Date.now() - 60_000)).toBe(0);
    // Leases end in the future: a cut-off past them takes every finished row, three per statement.
    const finished = async () =>
      (await store.outbox.list(orgId, { state: 'delivered' })).length +
      (await store.outbox.list(orgId, { state: 'failed' })).length;
    const before = await finished();
    expect(before).toBeGreaterThanOrEqual(4);
    expect(await store.outbox.prune(Date.now() + 3_600_000, 3)).toBe(before);
    expect(await finished()).toBe(0);
    expect(await states()).toEqual(['pending']);
  });

  it('leaves rows of a kind nobody sends pending', async () => {
    const worker = new OutboxWorker(store, [httpSender(receiver.url)]);
    await store.outbox.enqueue([{ idempotencyKey: 'mail-1', orgId, kind: 'mail', payload: {} }]);
    expect(await worker.runOnce()).toBe(0);
    expect(await store.outbox.list(orgId, { kind: 'mail' })).toMatchObject([
      { state: 'pending', attempts: 0 },
    ]);
  });

  it.runIf(engine === 'postgres')(
    'never lets two workers on two connection pools send the same row',
    async () => {
      const second = await openStore(storeOptions);
      try {
        const keys = Array.from({ length: 200 }, (_, i) => `race-${i}`);
        await store.outbox.enqueue(
          keys.map((k) => ({ idempotencyKey: k, orgId, kind: 'test-webhook', payload: { k } })),
        );
        const workers = [store, second].map(
          (s) => new OutboxWorker(s, [httpSender(receiver.url)], { batchSize: 7 }),
        );
        let progress = true;
        while (progress) {
          const counts = await Promise.all([...workers, ...workers].map((w) => w.runOnce()));
          progress = counts.some((n) => n > 0);
        }
        const sent = receiver.received.map((r) => r.key);
        expect(sent.toSorted()).toEqual(keys.toSorted());
        const delivered = await store.outbox.list(orgId, { state: 'delivered', limit: 1_000 });
        expect(
          delivered.filter((d) => d.idempotencyKey.startsWith('race-') && d.attempts === 1),
        ).toHaveLength(200);
      } finally {
        await second.close();
      }
    },
  );
});
