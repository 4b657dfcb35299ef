/**
 * What each console role may do. OWNER and ADMIN manage keys, members, invites and the business
 * context; MEMBER reads. A session's API scope follows from its role.
 */
import type { Role, Scope } from '@opstrails/core';

const RANK: Record<Role, number> = { OWNER: 3, ADMIN: 2, MEMBER: 1 };

export function hasRole(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export function scopeForRole(role: Role): Scope {
  return hasRole(role, 'ADMIN') ? 'READ_WRITE' : 'READ_ONLY';
}

/** An ADMIN may grant ADMIN or MEMBER; only an OWNER may make (or unmake) an OWNER. */
export function canAssign(actor: Role, from: Role | null, to: Role): boolean {
  if (!hasRole(actor, 'ADMIN')) return false;
  if (actor === 'OWNER') return true;
  return to !== 'OWNER' && from !== 'OWNER';
}

/** Removing someone else: admins remove admins and members; only an OWNER removes an OWNER. */
export function canRemove(actor: Role, target: Role | null): boolean {
  return hasRole(actor, 'ADMIN') && (actor === 'OWNER' || target !== 'OWNER');
}
