/** Identifiers for rows we create: a readable prefix and 128 random bits (`org_…`, `key_…`). */
import { randomBytes } from 'node:crypto';

export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(16).toString('base64url')}`;
}
