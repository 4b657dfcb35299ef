/**
 * The invites repository: a link with a random token (only its SHA-256 stored) that lets one
 * person join an organization with a role. Accepting consumes it in the same statement that
 * checks it, inside the transaction that adds the member, so a link works exactly once.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '@opstrails/core';
import type { Kysely } from 'kysely';
import { newId } from './ids.js';
import type { Database } from './schema.js';
import { hashToken } from './sessions.js';
import { insertUser, type NewUser } from './users.js';

export interface Invite {
  id: string;
  role: Role;
  createdAt: string;
  expiresAt: string;
}

export interface InviteTarget {
  orgId: string;
  orgName: string;
  role: Role;
}

const iso = (ms: number) => new Date(Number(ms)).toISOString();

export class InviteRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(
    orgId: string,
    role: Role,
    createdBy: string,
    ttlMs: number,
    now = Date.now(),
  ): Promise<{ token: string; invite: Invite }> {
    const token = randomBytes(24).toString('base64url');
    const id = newId('inv');
    await this.db
      .insertInto('invites')
      .values({
        id,
        token_hash: hashToken(token),
        org_id: orgId,
        role,
        created_by: createdBy,
        created_at: now,
        expires_at: now + ttlMs,
        accepted_at: null,
      })
      .execute();
    return { token, invite: { id, role, createdAt: iso(now), expiresAt: iso(now + ttlMs) } };
  }

  /** Pending (not accepted, not expired) invites of an organization. */
  async pending(orgId: string, now = Date.now()): Promise<Invite[]> {
    const rows = await this.db
      .selectFrom('invites')
      .select(['id', 'role', 'created_at', 'expires_at'])
      .where('org_id', '=', orgId)
      .where('accepted_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('created_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      role: r.role as Role,
      createdAt: iso(r.created_at),
      expiresAt: iso(r.expires_at),
    }));
  }

  /** What a pending invite leads to, without consuming it (the accept page shows it). */
  async peek(token: string, now = Date.now()): Promise<InviteTarget | null> {
    const row = await this.db
      .selectFrom('invites')
      .innerJoin('organizations', 'organizations.id', 'invites.org_id')
      .select(['invites.org_id', 'invites.role', 'organizations.name'])
      .where('invites.token_hash', '=', hashToken(token))
      .where('invites.accepted_at', 'is', null)
      .where('invites.expires_at', '>', now)
      .executeTakeFirst();
    return row ? { orgId: row.org_id, orgName: row.name, role: row.role as Role } : null;
  }

  /** Why a token leads nowhere: used, expired, or unknown (mistyped, withdrawn); null while pending. */
  async whyUnusable(token: string, now = Date.now()): Promise<'used' | 'expired' | 'unknown' | null> {
    const row = await this.db
      .selectFrom('invites')
      .select(['accepted_at', 'expires_at'])
      .where('token_hash', '=', hashToken(token))
      .executeTakeFirst();
    if (!row) return 'unknown';
    if (row.accepted_at !== null) return 'used';
    if (Number(row.expires_at) <= now) return 'expired';
    return null;
  }

  /**
   * Consumes the invite and makes `who` (a user id, or a new account) a member, all or nothing.
   * 'gone': the invite was used, revoked or expired meanwhile. 'email-taken': another request
   * created an account for the email first; the invite stays usable.
   */
  async accept(
    token: string,
    who: string | NewUser,
    now = Date.now(),
  ): Promise<{ userId: string; orgId: string } | 'gone' | 'email-taken'> {
    const tokenHash = hashToken(token);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const invite = await trx
          .updateTable('invites')
          .set({ accepted_at: now })
          .where('token_hash', '=', tokenHash)
          .where('accepted_at', 'is', null)
          .where('expires_at', '>', now)
          .returning(['org_id', 'role'])
          .executeTakeFirst();
        if (!invite) return 'gone' as const;
        const userId = typeof who === 'string' ? who : (await insertUser(trx, who, now)).id;
        await trx
          .insertInto('memberships')
          .values({ user_id: userId, org_id: invite.org_id, role: invite.role, created_at: now })
          .onConflict((oc) => oc.columns(['user_id', 'org_id']).doNothing())
          .execute();
        return { userId, orgId: invite.org_id };
      });
    } catch (error) {
      // The unique email is the one constraint a race can hit; the rollback kept the invite.
      if (typeof who !== 'string') {
        const taken = await this.db
          .selectFrom('users')
          .select('id')
          .where('email', '=', who.email.trim().toLowerCase())
          .executeTakeFirst();
        if (taken) return 'email-taken';
      }
      throw error;
    }
  }

  async revoke(orgId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('invites')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
