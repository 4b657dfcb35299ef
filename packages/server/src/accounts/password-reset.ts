/**
 * Password reset links: who may make them and how long they live. The link is
 * `<public URL>/reset-password#<token>`: a fragment never reaches server or proxy logs.
 */
import { PasswordResetRepository } from '../store/password-resets.js';
import type { Store } from '../store/store.js';

/** A link an OWNER/ADMIN or the CLI hands over by hand (chat, a call) lives a day. */
export const HANDED_LINK_TTL_MS = 24 * 60 * 60_000;
/** A link mailed on request lives an hour: the mailbox is the only thing it proves. */
export const MAILED_LINK_TTL_MS = 60 * 60_000;

const made = new WeakMap<Store, PasswordResetRepository>();

export function passwordResets(store: Store): PasswordResetRepository {
  let repo = made.get(store);
  if (!repo) {
    repo = new PasswordResetRepository(store.db);
    made.set(store, repo);
  }
  return repo;
}

export const resetPath = (token: string) => `/reset-password#${token}`;

export const resetUrl = (publicUrl: string, token: string) => `${publicUrl}${resetPath(token)}`;
