/**
 * Accounts made from the command line (`opstrails users add`, `opstrails orgs create --owner`,
 * `opstrails users reset-password`), on the store directly. A new account gets no password: it
 * gets a reset link instead, printed once, with which its owner picks one, so no password ever
 * passes through a terminal, a shell history or a chat. Each action is recorded in the
 * organization's audit log as done by the CLI.
 */
import { randomBytes } from 'node:crypto';
import type { Role } from '@opstrails/core';
import { hashPassword } from '../auth/passwords.js';
import type { AuditActor, NewAuditEntry } from '../store/audit-log.js';
import type { Store } from '../store/store.js';
import type { UserRow } from '../store/users.js';
import { auditLog } from './audit.js';
import { HANDED_LINK_TTL_MS, passwordResets, resetUrl } from './password-reset.js';

const CLI_ACTOR: AuditActor = { type: 'cli', id: null, label: 'opstrails CLI' };

export interface ResetLink {
  url: string;
  expiresAt: string;
}

/** Records an admin command's action in an organization's audit log, done by the CLI (`opstrails keys create`, …). */
export async function recordCliAudit(store: Store, entry: Omit<NewAuditEntry, 'actor'>): Promise<void> {
  await auditLog(store).record({ ...entry, actor: CLI_ACTOR });
}

/** A single-use reset link for `user` (valid a day), recorded in each of its organizations' audit logs. */
export async function cliResetLink(store: Store, publicUrl: string, user: UserRow): Promise<ResetLink> {
  const { token, expiresAt } = await passwordResets(store).create(user.id, 'cli', HANDED_LINK_TTL_MS);
  for (const m of await store.memberships.ofUser(user.id)) {
    await auditLog(store).record({
      orgId: m.organization.id,
      actor: CLI_ACTOR,
      action: 'password.reset-link-created',
      target: { type: 'user', id: user.id, label: user.email },
    });
  }
  return { url: resetUrl(publicUrl, token), expiresAt: new Date(expiresAt).toISOString() };
}

export interface Provisioned {
  user: UserRow;
  /** True when the account was made now. */
  created: boolean;
  /** False when the user was already a member (their role is left as it was). */
  joined: boolean;
  role: Role;
  /** For a new account: the link with which they set their password. */
  link: ResetLink | null;
}

/** Makes `email` a member of `orgId` with `role`, creating the account (and its set-password link) when missing. */
export async function provisionMember(
  store: Store,
  publicUrl: string,
  input: { email: string; name?: string; orgId: string; role: Role },
): Promise<Provisioned> {
  let user = await store.users.byEmail(input.email);
  const created = !user;
  if (!user) {
    const email = input.email.trim().toLowerCase();
    await store.users.create({
      email,
      name: input.name?.trim() || email.split('@')[0] || email,
      // Nobody knows this password: the account is usable once its owner follows the link.
      passwordHash: await hashPassword(randomBytes(32).toString('base64url')),
    });
    user = (await store.users.byEmail(email)) as UserRow;
  }
  const existing = await store.memberships.role(user.id, input.orgId);
  if (!existing) {
    await store.memberships.add(user.id, input.orgId, input.role);
    await auditLog(store).record({
      orgId: input.orgId,
      actor: CLI_ACTOR,
      action: 'member.added',
      target: { type: 'user', id: user.id, label: user.email },
      details: { role: input.role, newAccount: created },
    });
  }
  const link = created ? await cliResetLink(store, publicUrl, user) : null;
  return { user, created, joined: !existing, role: existing ?? input.role, link };
}
