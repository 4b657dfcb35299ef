/**
 * Password reset links (migration 018): a random token, only its SHA-256 stored, that lets one
 * user set a new password once before it expires. Using it sets the password, marks the link
 * used, ends every session of the user and revokes their OAuth grants (MCP clients they connected)
 * in one transaction, so a link works exactly once and whoever held the old password is signed out
 * everywhere, MCP clients included.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { newId } from './ids.js';
import { revokeGrantsOfUser } from './oauth.js';
import type { Database } from './schema.js';
import { hashToken } from './sessions.js';

export interface PasswordResetsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

type ResetDatabase = Database & { password_resets: PasswordResetsTable };

/** What a reset link looks like to someone holding it: usable, used, expired, or unknown. */
export type ResetState =
  | { state: 'valid'; userId: string; email: string; expiresAt: number }
  | { state: 'used' | 'expired' | 'unknown' };

export class PasswordResetRepository {
  private readonly db: Kysely<ResetDatabase>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<{ password_resets: PasswordResetsTable }>();
  }

  /** A new link for `userId`; the token is returned here only. */
  async create(
    userId: string,
    createdBy: string,
    ttlMs: number,
    now = Date.now(),
  ): Promise<{ token: string; expiresAt: number }> {
    const token = randomBytes(32).toString('base64url');
    await this.db
      .insertInto('password_resets')
      .values({
        id: newId('rst'),
        token_hash: hashToken(token),
        user_id: userId,
        created_by: createdBy,
        created_at: now,
        expires_at: now + ttlMs,
        used_at: null,
      })
      .execute();
    // Old rows are useless once expired; creating a link is rare enough to carry their cleanup.
    await this.db
      .deleteFrom('password_resets')
      .where('expires_at', '<', now - 7 * 24 * 60 * 60_000)
      .execute();
    return { token, expiresAt: now + ttlMs };
  }

  /** How many links were made for `userId` by `createdBy` since `since` (the self-service limit). */
  async countSince(userId: string, createdBy: string, since: number): Promise<number> {
    const row = await this.db
      .selectFrom('password_resets')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('user_id', '=', userId)
      .where('created_by', '=', createdBy)
      .where('created_at', '>=', since)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  async state(token: string, now = Date.now()): Promise<ResetState> {
    const row = await this.db
      .selectFrom('password_resets')
      .innerJoin('users', 'users.id', 'password_resets.user_id')
      .select([
        'password_resets.user_id',
        'password_resets.expires_at',
        'password_resets.used_at',
        'users.email',
      ])
      .where('password_resets.token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row) return { state: 'unknown' };
    if (row.used_at !== null) return { state: 'used' };
    if (Number(row.expires_at) <= now) return { state: 'expired' };
    return { state: 'valid', userId: row.user_id, email: row.email, expiresAt: Number(row.expires_at) };
  }

  /**
   * Uses the link: sets the password hash, marks every open link of the user used (an older
   * mail must not work after a newer one did), deletes the user's sessions and revokes their OAuth
   * grants with the keys and tokens of those. Null when the link was used or expired meanwhile.
   */
  async use(token: string, passwordHash: string, now = Date.now()): Promise<{ userId: string } | null> {
    return this.db.transaction().execute(async (trx) => {
      const link = await trx
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('token_hash', '=', hashToken(token))
        .where('used_at', 'is', null)
        .where('expires_at', '>', now)
        .returning('user_id')
        .executeTakeFirst();
      if (!link) return null;
      await trx
        .updateTable('password_resets')
        .set({ used_at: now })
        .where('user_id', '=', link.user_id)
        .where('used_at', 'is', null)
        .execute();
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash })
        .where('id', '=', link.user_id)
        .execute();
      await trx.deleteFrom('sessions').where('user_id', '=', link.user_id).execute();
      // The reset tables only add to Database, so the same transaction serves the OAuth tables.
      await revokeGrantsOfUser(trx as unknown as Kysely<Database>, link.user_id, now);
      return { userId: link.user_id };
    });
  }
}
