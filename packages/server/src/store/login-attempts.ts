/**
 * Sign-in attempt counters per key ("email:…", "address:…", "pair:<email> <address>"), kept in
 * the database so every instance throttles alike. Each attempt is counted by one statement that
 * also decides whether it may go ahead, so concurrent guesses cannot all slip past the count.
 * The policy (how many, how long) lives in auth/login-limiter.ts.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from './schema.js';

export interface ThrottleRule {
  /** Attempts admitted without waiting. */
  free: number;
  /** The wait after the last free attempt; it doubles with each further one, up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A key untouched this long starts again from zero. */
  forgetAfterMs: number;
}

/** The wait after attempt `n` under `rule`; null inside the free allowance. */
export function delayAfter(n: number, rule: ThrottleRule): number | null {
  if (n < rule.free) return null;
  return Math.min(rule.baseDelayMs * 2 ** Math.min(n - rule.free, 40), rule.maxDelayMs);
}

/** A parameter PostgreSQL would otherwise type as text inside CASE. */
const bigint = (value: number) => sql<number>`cast(${value} as bigint)`;

export class LoginAttemptRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Counts one attempt on `key` when it is due, atomically. Returns the attempt's number, or
   * null when it must wait (then nothing is counted; `nextAttemptAt` says until when).
   */
  async reserve(key: string, rule: ThrottleRule, now: number): Promise<number | null> {
    const stale = sql<boolean>`login_attempts.last_attempt_at <= ${bigint(now - rule.forgetAfterMs)}`;
    const count = sql<number>`(case when ${stale} then 1 else login_attempts.attempts + 1 end)`;
    // The doubling waits as a CASE on the new count, up to the cap (a dozen branches at most).
    const waits: RawBuilder<unknown>[] = [];
    for (let n = rule.free; (delayAfter(n, rule) ?? 0) < rule.maxDelayMs; n++)
      waits.push(sql`when ${sql.lit(n)} then ${bigint(now + (delayAfter(n, rule) ?? 0))}`);
    const capped = bigint(now + rule.maxDelayMs);
    const schedule = sql`case ${count} ${sql.join(waits, sql` `)} else ${capped} end`;
    const free = sql.lit(rule.free);
    const nextAt = sql<number | null>`case when ${count} < ${free} then null else ${schedule} end`;
    const firstWait = delayAfter(1, rule);
    const row = await this.db
      .insertInto('login_attempts')
      .values({
        key,
        attempts: 1,
        last_attempt_at: now,
        next_attempt_at: firstWait === null ? null : now + firstWait,
      })
      .onConflict((oc) =>
        oc
          .column('key')
          .doUpdateSet({ attempts: count, last_attempt_at: now, next_attempt_at: nextAt })
          .where(
            sql<boolean>`${stale} or login_attempts.next_attempt_at is null or login_attempts.next_attempt_at <= ${bigint(now)}`,
          ),
      )
      .returning('attempts')
      .executeTakeFirst();
    return row ? Number(row.attempts) : null;
  }

  /** When `key` admits its next attempt (epoch ms), or null when it admits one now. */
  async nextAttemptAt(key: string, now: number): Promise<number | null> {
    const row = await this.db
      .selectFrom('login_attempts')
      .select('next_attempt_at')
      .where('key', '=', key)
      .executeTakeFirst();
    const at = row?.next_attempt_at == null ? null : Number(row.next_attempt_at);
    return at !== null && at > now ? at : null;
  }

  /** Takes one attempt back (a success from a shared address should not count against it). */
  async giveBack(key: string, rule: ThrottleRule): Promise<void> {
    await this.db
      .updateTable('login_attempts')
      .set({
        attempts: sql`attempts - 1`,
        next_attempt_at: sql`case when attempts - 1 < ${sql.lit(rule.free)} then null else next_attempt_at end`,
      })
      .where('key', '=', key)
      .where('attempts', '>', 0)
      .execute();
  }

  /** Deletes the `keys` and every key starting with one of `prefixes`; returns how many there were. */
  async clear(keys: string[], prefixes: string[] = []): Promise<number> {
    const result = await this.db
      .deleteFrom('login_attempts')
      .where((eb) =>
        eb.or([
          ...keys.map((k) => eb('key', '=', k)),
          // substr counts characters (code points) on both engines, as the spread does.
          ...prefixes.map((p) => eb(sql`substr(key, 1, ${sql.lit([...p].length)})`, '=', p)),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
