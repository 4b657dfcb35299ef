/**
 * The outbox worker and the channels' HTTP sending (channels/send-http.ts) against loopback
 * receivers, on both engines: a 429's Retry-After (seconds or an HTTP date) is the floor of the
 * next attempt, capped by the backoff's ceiling; a target the outbound address policy refuses and
 * a 4xx that no resend can mend fail at once, with the reason kept; 408 and 5xx are retried.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { parseRetryAfter, refusesForGood, sendHttp } from '../channels/send-http.js';
import { parseAllowList } from '../outbound/address-policy.js';
import { OutboundHttpClient } from '../outbound/http-client.js';
import { openStore, type Store } from '../store/store.js';
import type { OutboxSender } from './outbox-sender.js';
import { OutboxWorker } from './outbox-worker.js';

const BACKOFF = { baseMs: 1_000, maxMs: 60_000 };

/** A receiver on 127.0.0.1 answering each request with the status and headers the test sets. */
async function startAnswering() {
  let answer: { status: number; headers?: Record<string, string>; body?: string } = { status: 200 };
  let requests = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      requests++;
      res
        .writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers })
        .end(answer.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    answer(next: typeof answer) {
      answer = next;
      requests = 0;
    },
    requests: () => requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A channel-like sender: POSTs through the one outbound client, as every HTTP channel does. */
const channelLike = (http: OutboundHttpClient, url: string, kind: string): OutboxSender => ({
  kind,
  send: () => sendHttp(http, { url, body: { text: 'deployed' } }),
});

describe('Retry-After and permanent answers, as functions', () => {
  it('reads delay-seconds and HTTP dates, and ignores what is neither', () => {
    const now = Date.parse('2026-12-02T06:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Wed, 02 Dec 2026 06:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 02 Dec 2026 05:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });

  it('treats 4xx as final except 408 and 429', () => {
    expect([400, 401, 403, 404, 410, 422].every(refusesForGood)).toBe(true);
    expect([408, 429, 500, 502, 503, 200].some(refusesForGood)).toBe(false);
  });
});

describe.each(ENGINES)('outbox answers from the receiver on %s', (engine) => {
  let store: Store;
  let orgId: string;
  let receiver: Awaited<ReturnType<typeof startAnswering>>;
  const allowed = () => new OutboundHttpClient({ allow: parseAllowList('127.0.0.1') });
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-outbox-ra-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;

  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    orgId = (await store.organizations.ensureDefault()).id;
    receiver = await startAnswering();
  });
  beforeEach(() => receiver.answer({ status: 200 }));
  afterAll(async () => {
    await receiver.close();
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const queueOne = async (key: string, kind: string) => {
    await store.outbox.enqueue([{ idempotencyKey: key, orgId, kind, payload: {} }]);
    return (await store.outbox.list(orgId, { kind, limit: 1 }))[0]?.id as number;
  };

  it("waits at least a 429's Retry-After in seconds before the next attempt, then delivers", async () => {
    receiver.answer({ status: 429, headers: { 'retry-after': '30' }, body: 'slow down' });
    const worker = new OutboxWorker(store, [channelLike(allowed(), receiver.url, 'ra-seconds')], {
      backoff: BACKOFF,
    });
    const id = await queueOne('ra-1', 'ra-seconds');
    const t1 = Date.now();
    expect(await worker.runOnce(t1)).toBe(1);
    const first = await store.outbox.get(id);
    expect(first).toMatchObject({ state: 'pending', attempts: 1 });
    expect(first?.lastAnswer).toContain('429 slow down (rate limited; Retry-After: 30)');
    // The backoff alone would say at most 1 s; the receiver asked for 30.
    expect(first?.nextAttemptAt).toBeGreaterThanOrEqual(t1 + 30_000);
    expect(await worker.runOnce(t1 + 29_000)).toBe(0);

    receiver.answer({ status: 200, body: 'ok' });
    expect(await worker.runOnce(first?.nextAttemptAt)).toBe(1);
    expect(await store.outbox.get(id)).toMatchObject({
      state: 'delivered',
      attempts: 2,
      lastAnswer: '200 ok',
    });
    expect(receiver.requests()).toBe(1);
  });

  it("honours an HTTP-date Retry-After on 503, and caps a receiver's week at the backoff's ceiling", async () => {
    const worker = new OutboxWorker(store, [channelLike(allowed(), receiver.url, 'ra-date')], {
      backoff: BACKOFF,
    });
    receiver.answer({
      status: 503,
      headers: { 'retry-after': new Date(Date.now() + 45_000).toUTCString() },
      body: 'maintenance',
    });
    const id = await queueOne('ra-2', 'ra-date');
    const t1 = Date.now();
    expect(await worker.runOnce(t1)).toBe(1);
    const first = await store.outbox.get(id);
    // An HTTP date has whole seconds: 44 s at least.
    expect(first?.nextAttemptAt).toBeGreaterThanOrEqual(t1 + 44_000);

    receiver.answer({ status: 429, headers: { 'retry-after': String(7 * 24 * 3600) } });
    const t2 = first?.nextAttemptAt as number;
    expect(await worker.runOnce(t2)).toBe(1);
    const second = await store.outbox.get(id);
    expect(second).toMatchObject({ state: 'pending', attempts: 2 });
    expect(second?.nextAttemptAt).toBeGreaterThanOrEqual(t2 + BACKOFF.maxMs);
    expect(second?.nextAttemptAt).toBeLessThan(t2 + BACKOFF.maxMs + 10_000);
  });

  it('fails at once, saying why, when the address policy refuses the target; the receiver gets nothing', async () => {
    const policyOn = new OutboundHttpClient({ allow: [] });
    const worker = new OutboxWorker(store, [channelLike(policyOn, receiver.url, 'ra-refused')], {
      backoff: BACKOFF,
    });
    const id = await queueOne('ra-3', 'ra-refused');
    expect(await worker.runOnce()).toBe(1);
    const row = await store.outbox.get(id);
    expect(row).toMatchObject({ state: 'failed', attempts: 1 });
    expect(row?.lastAnswer).toContain('127.0.0.1 is a loopback address');
    expect(row?.lastAnswer).toContain('not retried: the outbound address policy refuses this target');
    expect(await worker.runOnce(Date.now() + 3_600_000)).toBe(0);
    expect(receiver.requests()).toBe(0);
  });

  it('fails a 404 at once (the request itself is wrong) and retries 408 and 500', async () => {
    const worker = new OutboxWorker(store, [channelLike(allowed(), receiver.url, 'ra-4xx')], {
      backoff: BACKOFF,
    });
    receiver.answer({ status: 404, body: 'no such hook' });
    const gone = await queueOne('ra-4', 'ra-4xx');
    expect(await worker.runOnce()).toBe(1);
    const refused = await store.outbox.get(gone);
    expect(refused).toMatchObject({ state: 'failed', attempts: 1 });
    expect(refused?.lastAnswer).toBe(
      "404 no such hook (not retried: the service refused the request (404); check the channel's settings)",
    );

    for (const status of [408, 500]) {
      receiver.answer({ status, body: 'later' });
      const id = await queueOne(`ra-${status}`, 'ra-4xx');
      expect(await worker.runOnce()).toBe(1);
      expect(await store.outbox.get(id)).toMatchObject({
        state: 'pending',
        attempts: 1,
        lastAnswer: `${status} later`,
      });
    }
  });
});
