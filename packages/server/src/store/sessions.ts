/**
 * The console sessions repository. The cookie carries a random token; only its SHA-256 is
 * stored, so a database leak does not hand out live sessions. Looking a session up also
 * checks that its user still belongs to its organization, so a removal takes effect at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Role } from '@opstrails/core';
import type { Kysely } from 'kysely';
import { newId } from './ids.js';
import type { Database } from './schema.js';

export interface SessionRecord {
  id: string;
  userId: string;
  orgId: string;
  role: Role;
  csrfToken: string;
  expiresAt: number;
}

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export class SessionRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates a session; the token (for the cookie) is returned here only. */
  async create(
    userId: string,
    orgId: string,
    ttlMs: number,
    now = Date.now(),
  ): Promise<{ token: string; id: string }> {
    const token = randomBytes(32).toString('base64url');
    const id = newId('ses');
    await this.db
      .insertInto('sessions')
      .values({
        id,
        token_hash: hashToken(token),
        user_id: userId,
        org_id: orgId,
        csrf_token: randomBytes(24).toString('base64url'),
        created_at: now,
        expires_at: now + ttlMs,
      })
      .execute();
    return { token, id };
  }

  /** The live session of a token, with the user's current role in its organization. */
  async find(token: string, now = Date.now()): Promise<SessionRecord | null> {
    const row = await this.db
      .selectFrom('sessions')
      .innerJoin('memberships', (join) =>
        join
          .onRef('memberships.user_id', '=', 'sessions.user_id')
          .onRef('memberships.org_id', '=', 'sessions.org_id'),
      )
      .select([
        'sessions.id',
        'sessions.user_id',
        'sessions.org_id',
        'sessions.csrf_token',
        'sessions.expires_at',
        'memberships.role',
      ])
      .where('sessions.token_hash', '=', hashToken(token))
      .where('sessions.expires_at', '>', now)
      .executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      userId: row.user_id,
      orgId: row.org_id,
      role: row.role as Role,
      csrfToken: row.csrf_token,
      expiresAt: Number(row.expires_at),
    };
  }

  /**
   * Of these session ids, the ones still live whose user still belongs to the session's
   * organization, with that organization (open live streams are re-checked this way, all at once).
   */
  async liveAmong(ids: string[], now = Date.now()): Promise<Map<string, string>> {
    const live = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('sessions')
        .innerJoin('memberships', (join) =>
          join
            .onRef('memberships.user_id', '=', 'sessions.user_id')
            .onRef('memberships.org_id', '=', 'sessions.org_id'),
        )
        .select(['sessions.id', 'sessions.org_id'])
        .where('sessions.id', 'in', ids.slice(i, i + 500))
        .where('sessions.expires_at', '>', now)
        .execute();
      for (const row of rows) live.set(row.id, row.org_id);
    }
    return live;
  }

  async switchOrg(id: string, orgId: string): Promise<void> {
    await this.db.updateTable('sessions').set({ org_id: orgId }).where('id', '=', id).execute();
  }

  async delete(id: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id', '=', id).execute();
  }

  async deleteExpired(now = Date.now()): Promise<void> {
    await this.db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  }
}
