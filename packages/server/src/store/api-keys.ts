/**
 * The API keys repository. A key is `ot_` + 256 random bits (base64url); only its SHA-256
 * hash is stored, so a database leak does not leak usable keys.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { ApiKeyInfo, Scope } from '@opstrails/core';
import type { Kysely, Selectable } from 'kysely';
import { newId } from './ids.js';
import type { ApiKeysTable, Database } from './schema.js';

export const KEY_PREFIX = 'ot_';

/** What a verified key grants. */
export interface KeyGrant {
  keyId: string;
  orgId: string;
  scope: Scope;
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

const iso = (ms: number | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function toInfo(row: Selectable<ApiKeysTable>): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope as Scope,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    lastUsedAt: iso(row.last_used_at),
    revokedAt: iso(row.revoked_at),
  };
}

export class ApiKeyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates a key; the plaintext is returned here once and never again. */
  async create(orgId: string, name: string, scope: Scope): Promise<{ key: string; info: ApiKeyInfo }> {
    const key = `${KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row: Selectable<ApiKeysTable> = {
      id: newId('key'),
      org_id: orgId,
      name,
      prefix: key.slice(0, 10),
      hash: hashKey(key),
      scope,
      created_at: Date.now(),
      last_used_at: null,
      revoked_at: null,
    };
    await this.db.insertInto('api_keys').values(row).execute();
    return { key, info: toInfo(row) };
  }

  /** The grant of a live key, or null for an unknown or revoked one. */
  async verify(key: string): Promise<KeyGrant | null> {
    if (!key.startsWith(KEY_PREFIX)) return null;
    const row = await this.db
      .selectFrom('api_keys')
      .select(['id', 'org_id', 'scope'])
      .where('hash', '=', hashKey(key))
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return row ? { keyId: row.id, orgId: row.org_id, scope: row.scope as Scope } : null;
  }

  /** Of these key ids, the ones still live, with their organization (open live streams are re-checked this way, all at once). */
  async liveAmong(ids: string[]): Promise<Map<string, string>> {
    const live = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('api_keys')
        .select(['id', 'org_id'])
        .where('id', 'in', ids.slice(i, i + 500))
        .where('revoked_at', 'is', null)
        .execute();
      for (const row of rows) live.set(row.id, row.org_id);
    }
    return live;
  }

  async touch(keyId: string, at: number): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: at }).where('id', '=', keyId).execute();
  }

  async list(orgId: string, includeRevoked = false): Promise<ApiKeyInfo[]> {
    let q = this.db.selectFrom('api_keys').selectAll().where('org_id', '=', orgId);
    if (!includeRevoked) q = q.where('revoked_at', 'is', null);
    const rows = await q.orderBy('created_at', 'desc').execute();
    return rows.map(toInfo);
  }

  async countActive(orgId: string): Promise<number> {
    const row = await this.db
      .selectFrom('api_keys')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Revokes a key of this organization. False when there is no such live key. */
  async revoke(orgId: string, id: string): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: Date.now() })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
