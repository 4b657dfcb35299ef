/**
 * `OPSTRAILS_RATE_LIMIT` (extended API section 8): at most N requests per second to `/api/`
 * per API key, and per client address for requests without one (sessions, anonymous); past it
 * 429 RATE_LIMITED with `Retry-After`. Checked on `onRequest`, before authentication and before
 * the body is read, so a flood costs a counter, not a key lookup or a parse. A key is counted by
 * a hash of the bearer token as sent, so random tokens cannot borrow a real key's budget.
 *
 * On PostgreSQL the counters are rows (`store/rate-limits.ts`), so every instance behind a load
 * balancer counts against the same budget; on SQLite, where one process serves the store, they
 * are kept in memory and cost no write per request.
 */
import { createHash } from 'node:crypto';
import { ApiError } from '@opstrails/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RateLimitRepository } from '../../store/rate-limits.js';
import type { Store } from '../../store/store.js';

const WINDOW_MS = 1_000;
/** Counters older than this are pruned; a few windows back, for clocks that differ a little between instances. */
const KEEP_MS = 10_000;

interface Counter {
  hit(bucket: string, windowStart: number): Promise<number>;
  prune(before: number): Promise<void>;
}

/** The single-process counter: a map of the current windows. */
class MemoryCounter implements Counter {
  private readonly counts = new Map<string, number>();
  async hit(bucket: string, windowStart: number): Promise<number> {
    const id = `${windowStart}|${bucket}`;
    const n = (this.counts.get(id) ?? 0) + 1;
    this.counts.set(id, n);
    return n;
  }
  async prune(before: number): Promise<void> {
    for (const id of this.counts.keys())
      if (Number(id.slice(0, id.indexOf('|'))) < before) this.counts.delete(id);
  }
}

function bucketOf(request: FastifyRequest): string {
  const auth = request.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) {
    return `key:${createHash('sha256').update(auth.slice(7).trim()).digest('base64url').slice(0, 22)}`;
  }
  return `ip:${request.ip}`;
}

export function registerRateLimit(app: FastifyInstance, store: Store, perSecond: number | null): void {
  if (perSecond === null) return;
  const counter: Counter =
    store.engine === 'postgres' ? new RateLimitRepository(store.db) : new MemoryCounter();
  const pruner = setInterval(() => {
    counter
      .prune(Date.now() - KEEP_MS)
      .catch((error: unknown) => app.log.warn({ err: error }, 'rate limit prune failed'));
  }, KEEP_MS);
  pruner.unref();
  app.addHook('onClose', async () => clearInterval(pruner));

  app.addHook('onRequest', async (request) => {
    if (!request.url.startsWith('/api/')) return;
    const now = Date.now();
    const windowStart = now - (now % WINDOW_MS);
    const bucket = bucketOf(request);
    const count = await counter.hit(bucket, windowStart);
    if (count > perSecond) {
      const who = bucket.startsWith('key:') ? 'this API key' : `address ${request.ip}`;
      throw new ApiError(
        'RATE_LIMITED',
        `too many requests: ${who} may send ${perSecond} per second (OPSTRAILS_RATE_LIMIT); retry after the time in Retry-After`,
        undefined,
        (windowStart + WINDOW_MS - now) / 1000,
      );
    }
  });
}
