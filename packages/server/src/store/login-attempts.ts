/**
 * Failed-login counters per key ("email:…", "ip:…"), kept in the database so every instance
 * sees the same lockout. The policy (how many, how long) lives in auth/login-limiter.ts.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface AttemptState {
  failures: number;
  windowStart: number;
  lockedUntil: number | null;
}

export class LoginAttemptRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(key: string): Promise<AttemptState | null> {
    const row = await this.db
      .selectFrom('login_attempts')
      .selectAll()
      .where('key', '=', key)
      .executeTakeFirst();
    return row
      ? {
          failures: Number(row.failures),
          windowStart: Number(row.window_start),
          lockedUntil: row.locked_until === null ? null : Number(row.locked_until),
        }
      : null;
  }

  async put(key: string, state: AttemptState): Promise<void> {
    const values = {
      failures: state.failures,
      window_start: state.windowStart,
      locked_until: state.lockedUntil,
    };
    await this.db
      .insertInto('login_attempts')
      .values({ key, ...values })
      .onConflict((oc) => oc.column('key').doUpdateSet(values))
      .execute();
  }

  async clear(key: string): Promise<void> {
    await this.db.deleteFrom('login_attempts').where('key', '=', key).execute();
  }
}
