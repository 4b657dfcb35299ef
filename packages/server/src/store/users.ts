/**
 * The users repository, and the one-time setup that turns a fresh install into an owned one:
 * the first user, the organization renamed to theirs, the OWNER membership, in one transaction.
 */
import type { Kysely, Selectable } from 'kysely';
import { newId } from './ids.js';
import type { Database, UsersTable } from './schema.js';

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export type UserRow = Selectable<UsersTable>;

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  name: row.name,
  createdAt: new Date(Number(row.created_at)).toISOString(),
});

export interface NewUser {
  email: string;
  name: string;
  passwordHash: string;
}

const SETUP_ROW = 'setup';

export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** True once setup has run (or any user exists, e.g. created by the CLI). */
  async setupDone(): Promise<boolean> {
    const claimed = await this.db
      .selectFrom('install')
      .select('id')
      .where('id', '=', SETUP_ROW)
      .executeTakeFirst();
    if (claimed) return true;
    const anyUser = await this.db.selectFrom('users').select('id').limit(1).executeTakeFirst();
    return anyUser !== undefined;
  }

  /**
   * Creates the first user as OWNER of `orgId`, renamed to `orgName`. Null when setup already ran:
   * the install row's primary key lets only one of two racing setups commit.
   */
  async setup(user: NewUser, orgId: string, orgName: string, now = Date.now()): Promise<User | null> {
    try {
      return await this.db.transaction().execute(async (trx) => {
        const existing = await trx.selectFrom('users').select('id').limit(1).executeTakeFirst();
        if (existing) return null;
        await trx.insertInto('install').values({ id: SETUP_ROW, completed_at: now }).execute();
        const row = await insertUser(trx, user, now);
        await trx.updateTable('organizations').set({ name: orgName }).where('id', '=', orgId).execute();
        await trx
          .insertInto('memberships')
          .values({ user_id: row.id, org_id: orgId, role: 'OWNER', created_at: now })
          .execute();
        return toUser(row);
      });
    } catch (error) {
      if (await this.setupDone()) return null;
      throw error;
    }
  }

  async create(user: NewUser, now = Date.now()): Promise<User> {
    return toUser(await insertUser(this.db, user, now));
  }

  async byEmail(email: string): Promise<UserRow | null> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', email.trim().toLowerCase())
      .executeTakeFirst();
    return row ?? null;
  }

  /** Every account with its memberships (organization slug and role), oldest first; for `opstrails users list`. */
  async listWithMemberships(
    orgId?: string,
  ): Promise<(User & { memberships: { org: string; role: string }[] })[]> {
    const users = await this.db.selectFrom('users').selectAll().orderBy('created_at').execute();
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
      .select(['memberships.user_id', 'memberships.org_id', 'organizations.slug', 'memberships.role'])
      .orderBy('memberships.created_at')
      .execute();
    return users
      .map((u) => ({
        ...toUser(u),
        memberships: rows
          .filter((r) => r.user_id === u.id)
          .map((r) => ({ org: r.slug, role: r.role, orgId: r.org_id })),
      }))
      .filter((u) => !orgId || u.memberships.some((m) => m.orgId === orgId))
      .map((u) => ({ ...u, memberships: u.memberships.map(({ org, role }) => ({ org, role })) }));
  }

  async byId(id: string): Promise<User | null> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toUser(row) : null;
  }
}

export async function insertUser(db: Kysely<Database>, user: NewUser, now: number): Promise<UserRow> {
  const row: UserRow = {
    id: newId('usr'),
    email: user.email.trim().toLowerCase(),
    name: user.name.trim(),
    password_hash: user.passwordHash,
    created_at: now,
  };
  await db.insertInto('users').values(row).execute();
  return row;
}
