/**
 * Request counters of the rate limiter (migration 017): one row per bucket (an API key's hash
 * or a client address) and one-second window. The increment is one upsert that returns the new
 * count, atomic on both engines, so instances sharing a PostgreSQL database share the limit.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export class RateLimitRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Counts one request of `bucket` in the window starting at `windowStart`; returns the window's count. */
  async hit(bucket: string, windowStart: number): Promise<number> {
    const row = await this.db
      .insertInto('rate_limits')
      .values({ bucket, window_start: windowStart, count: 1 })
      .onConflict((oc) =>
        oc.columns(['bucket', 'window_start']).doUpdateSet({ count: sql`rate_limits.count + 1` }),
      )
      .returning('count')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Deletes windows that ended before `before`. */
  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('window_start', '<', before).execute();
  }
}
