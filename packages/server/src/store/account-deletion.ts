/**
 * Deleting an organization or a user account (the privacy promises of contract section 10:
 * "deleting an account deletes its events").
 *
 * An organization goes with everything it owns: its events are deleted first in batches
 * (EventRepository.deleteOlderThan, so a large timeline never holds the writer in one
 * statement), then the organization row, whose foreign keys cascade to keys, settings,
 * memberships, sessions, invites and derived data, and the DORA days its deleted events marked
 * changed (`dora_dirty`, no foreign key). Its audit entries go too, except the one
 * recording the deletion.
 *
 * A user account: every organization where the user is the only member goes as above (its
 * events are theirs alone); then their OAuth grants are revoked, so the READ_ONLY key of each
 * (`MCP — <client>`) stops working in the organizations that stay; then the user row, which
 * cascades to their memberships, sessions, reset links, grants and tokens. Refused while they are the last OWNER of an organization others still use.
 */
import type { Kysely } from 'kysely';
import { AuditLogRepository } from './audit-log.js';
import { deleteDoraMarks } from './event-deletion.js';
import { revokeGrantsOfUser } from './oauth.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';

export async function deleteOrganization(store: Store, orgId: string): Promise<void> {
  await store.events.deleteOlderThan(orgId, Number.MAX_SAFE_INTEGER);
  await store.db.transaction().execute(async (trx) => {
    await new AuditLogRepository(trx).deleteOrganization(trx, orgId);
    await trx.deleteFrom('events').where('org_id', '=', orgId).execute();
    await trx.deleteFrom('organizations').where('id', '=', orgId).execute();
    await deleteDoraMarks(trx, orgId);
  });
}

/** The organizations that stop a user's deletion: they are its last OWNER and others are members. */
export async function ownedWithOthers(
  db: Kysely<Database>,
  userId: string,
): Promise<{ id: string; name: string }[]> {
  const owned = await db
    .selectFrom('memberships')
    .innerJoin('organizations', 'organizations.id', 'memberships.org_id')
    .select(['organizations.id', 'organizations.name'])
    .where('memberships.user_id', '=', userId)
    .where('memberships.role', '=', 'OWNER')
    .execute();
  const blocking: { id: string; name: string }[] = [];
  for (const org of owned) {
    const roles = await db
      .selectFrom('memberships')
      .select(['user_id', 'role'])
      .where('org_id', '=', org.id)
      .execute();
    const others = roles.filter((r) => r.user_id !== userId);
    if (others.length > 0 && !others.some((r) => r.role === 'OWNER')) blocking.push(org);
  }
  return blocking;
}

/** The organizations whose only member is this user: they go with the account. */
export async function soleMemberOf(db: Kysely<Database>, userId: string): Promise<string[]> {
  const mine = await db.selectFrom('memberships').select('org_id').where('user_id', '=', userId).execute();
  const sole: string[] = [];
  for (const { org_id } of mine) {
    const n = await db
      .selectFrom('memberships')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', org_id)
      .executeTakeFirst();
    if (Number(n?.n ?? 0) === 1) sole.push(org_id);
  }
  return sole;
}

/**
 * Deletes the account and the organizations only it belonged to. Returns the ids of those
 * organizations, or the blocking ones (last OWNER with other members) and deletes nothing.
 */
export async function deleteUser(
  store: Store,
  userId: string,
): Promise<{ deletedOrgs: string[] } | { blockedBy: { id: string; name: string }[] }> {
  const blockedBy = await ownedWithOthers(store.db, userId);
  if (blockedBy.length > 0) return { blockedBy };
  const sole = await soleMemberOf(store.db, userId);
  for (const orgId of sole) await deleteOrganization(store, orgId);
  await store.db.transaction().execute(async (trx) => {
    await revokeGrantsOfUser(trx, userId, Date.now());
    await trx.deleteFrom('users').where('id', '=', userId).execute();
  });
  return { deletedOrgs: sole };
}
