/**
 * The memberships repository: which user belongs to which organization with which role.
 * Role changes and removals that would leave an organization without an OWNER are refused here,
 * inside the transaction, so two admins acting at once cannot remove the last two owners.
 */
import type { Role } from '@opstrails/core';
import type { Kysely } from 'kysely';
import type { Engine } from './engine.js';
import type { Organization } from './organizations.js';
import { toOrganization } from './organizations.js';
import type { Database } from './schema.js';

export interface Member {
  userId: string;
  email: string;
  name: string;
  role: Role;
  joinedAt: string;
}

export interface OrgMembership {
  organization: Organization;
  role: Role;
}

/** Why a change was refused; the route turns it into the right status and message. */
export type MembershipChange = 'ok' | 'not-found' | 'last-owner';

export class MembershipRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  async add(userId: string, orgId: string, role: Role, now = Date.now()): Promise<void> {
    await this.db
      .insertInto('memberships')
      .values({ user_id: userId, org_id: orgId, role, created_at: now })
      .onConflict((oc) => oc.columns(['user_id', 'org_id']).doNothing())
      .execute();
  }

  async role(userId: string, orgId: string): Promise<Role | null> {
    const row = await this.db
      .selectFrom('memberships')
      .select('role')
      .where('user_id', '=', userId)
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return (row?.role as Role | undefined) ?? null;
  }

  /** The organizations of a user, oldest membership first. */
  async ofUser(userId: string): Promise<OrgMembership[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
      .selectAll('organizations')
      .select('memberships.role')
      .where('memberships.user_id', '=', userId)
      .orderBy('memberships.created_at')
      .execute();
    return rows.map((row) => ({ organization: toOrganization(row), role: row.role as Role }));
  }

  async list(orgId: string): Promise<Member[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['users.id', 'users.email', 'users.name', 'memberships.role', 'memberships.created_at'])
      .where('memberships.org_id', '=', orgId)
      .orderBy('memberships.created_at')
      .execute();
    return rows.map((r) => ({
      userId: r.id,
      email: r.email,
      name: r.name,
      role: r.role as Role,
      joinedAt: new Date(Number(r.created_at)).toISOString(),
    }));
  }

  async count(orgId: string): Promise<number> {
    const row = await this.db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Changes a role; refuses to demote the last OWNER. */
  async setRole(orgId: string, userId: string, role: Role): Promise<MembershipChange> {
    return this.guarded(orgId, userId, role === 'OWNER', async (trx) => {
      await trx
        .updateTable('memberships')
        .set({ role })
        .where('org_id', '=', orgId)
        .where('user_id', '=', userId)
        .execute();
    });
  }

  /** Removes a member (and their sessions in this organization); refuses to remove the last OWNER. */
  async remove(orgId: string, userId: string): Promise<MembershipChange> {
    return this.guarded(orgId, userId, false, async (trx) => {
      await trx.deleteFrom('memberships').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
      await trx.deleteFrom('sessions').where('org_id', '=', orgId).where('user_id', '=', userId).execute();
    });
  }

  private async guarded(
    orgId: string,
    userId: string,
    staysOwner: boolean,
    change: (trx: Kysely<Database>) => Promise<void>,
  ): Promise<MembershipChange> {
    return this.db.transaction().execute(async (trx) => {
      // Locking the organization's owner rows serializes concurrent changes on PostgreSQL;
      // SQLite transactions are serialized already.
      let owners = trx
        .selectFrom('memberships')
        .select('user_id')
        .where('org_id', '=', orgId)
        .where('role', '=', 'OWNER');
      if (this.engine === 'postgres') owners = owners.forUpdate();
      const ownerIds = (await owners.execute()).map((r) => r.user_id);
      const current = await trx
        .selectFrom('memberships')
        .select('role')
        .where('org_id', '=', orgId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      if (!current) return 'not-found';
      if (current.role === 'OWNER' && !staysOwner && ownerIds.length <= 1) return 'last-owner';
      await change(trx);
      return 'ok';
    });
  }
}
