/**
 * The OAuth repository (remote MCP clients, extended API section 7): clients, pending
 * authorization requests, grants, codes and tokens. Codes, tokens and request ids are random
 * 256-bit values stored only as SHA-256 hashes. A grant acts as one READ_ONLY API key (the key
 * `MCP — <client>`); a token is valid only while its grant, that key and the approving user's
 * membership all are, so revoking the key anywhere (console, CLI) ends the client's access.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ApiKeyRepository, hashKey } from './api-keys.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

export const ACCESS_TOKEN_PREFIX = 'ota_';
export const REFRESH_TOKEN_PREFIX = 'otr_';

export type OAuthClientKind = 'registered' | 'metadata-document';

export interface OAuthClient {
  id: string;
  kind: OAuthClientKind;
  name: string;
  redirectUris: string[];
  clientUri: string | null;
  /** Metadata documents: when the cached copy is stale. */
  refreshAt: number | null;
}

export interface PendingRequest {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  resource: string;
  scope: string;
  state: string | null;
  expiresAt: number;
}

export interface GrantRecord {
  id: string;
  clientId: string;
  userId: string;
  orgId: string;
  keyId: string;
  resource: string;
  scope: string;
}

/** What a valid access token grants: its key's identity, READ_ONLY, for one resource. */
export interface TokenGrant {
  grantId: string;
  clientId: string;
  keyId: string;
  orgId: string;
  resource: string;
  scope: string;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  accessExpiresAt: number;
}

export type Approval =
  | { status: 'ok'; code: string; request: PendingRequest }
  | { status: 'gone' }
  | { status: 'key-limit' };

export type Redemption =
  | { status: 'ok'; grant: GrantRecord; redirectUri: string; codeChallenge: string }
  | { status: 'reused'; grantId: string }
  | { status: 'invalid' };

export type Rotation =
  | { status: 'ok'; grant: GrantRecord }
  | { status: 'replayed'; grantId: string }
  | { status: 'invalid' };

class KeyLimitReached extends Error {}

/**
 * Ends every grant `userId` approved, with their keys and tokens, on the handle given (a password
 * reset runs it in its own transaction): whoever connected an MCP client with the old password is
 * out too, not only whoever held a session. Grants already ended are left as they were, except
 * that a token of theirs still open is closed.
 */
export async function revokeGrantsOfUser(db: Kysely<Database>, userId: string, now: number): Promise<void> {
  const grantsOfUser = db.selectFrom('oauth_grants').where('user_id', '=', userId);
  await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('id', 'in', grantsOfUser.select('key_id'))
    .where('revoked_at', 'is', null)
    .execute();
  await db
    .updateTable('oauth_tokens')
    .set({ revoked_at: now })
    .where('grant_id', 'in', grantsOfUser.select('id'))
    .where('revoked_at', 'is', null)
    .execute();
  await db
    .updateTable('oauth_grants')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .execute();
}

const token = (prefix = '') => `${prefix}${randomBytes(32).toString('base64url')}`;

const toGrant = (row: {
  id: string;
  client_id: string;
  user_id: string;
  org_id: string;
  key_id: string;
  resource: string;
  scope: string;
}): GrantRecord => ({
  id: row.id,
  clientId: row.client_id,
  userId: row.user_id,
  orgId: row.org_id,
  keyId: row.key_id,
  resource: row.resource,
  scope: row.scope,
});

export class OAuthRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async client(id: string): Promise<OAuthClient | null> {
    const row = await this.db.selectFrom('oauth_clients').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      kind: row.kind as OAuthClientKind,
      name: row.name,
      redirectUris: JSON.parse(row.redirect_uris) as string[],
      clientUri: row.client_uri,
      refreshAt: row.refresh_at === null ? null : Number(row.refresh_at),
    };
  }

  /** A dynamically registered (RFC 7591) public client; its id is returned. */
  async register(
    client: { name: string; redirectUris: string[]; clientUri: string | null },
    now = Date.now(),
  ): Promise<string> {
    const id = newId('otc');
    await this.db
      .insertInto('oauth_clients')
      .values({
        id,
        kind: 'registered',
        name: client.name,
        redirect_uris: JSON.stringify(client.redirectUris),
        client_uri: client.clientUri,
        created_at: now,
        refresh_at: null,
      })
      .execute();
    return id;
  }

  /** Stores (or refreshes) the cached copy of a client metadata document. */
  async saveDocumentClient(
    client: { id: string; name: string; redirectUris: string[]; clientUri: string | null; refreshAt: number },
    now = Date.now(),
  ): Promise<void> {
    const values = {
      name: client.name,
      redirect_uris: JSON.stringify(client.redirectUris),
      client_uri: client.clientUri,
      refresh_at: client.refreshAt,
    };
    await this.db
      .insertInto('oauth_clients')
      .values({ id: client.id, kind: 'metadata-document', created_at: now, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
  }

  /** Records an authorization request waiting for consent; the id is for the consent page. */
  async createRequest(request: PendingRequest): Promise<string> {
    const id = token();
    await this.db
      .insertInto('oauth_requests')
      .values({
        id_hash: hashKey(id),
        client_id: request.clientId,
        redirect_uri: request.redirectUri,
        code_challenge: request.codeChallenge,
        resource: request.resource,
        scope: request.scope,
        state: request.state,
        expires_at: request.expiresAt,
      })
      .execute();
    return id;
  }

  async request(id: string, now = Date.now()): Promise<PendingRequest | null> {
    const row = await this.db
      .selectFrom('oauth_requests')
      .selectAll()
      .where('id_hash', '=', hashKey(id))
      .where('expires_at', '>', now)
      .executeTakeFirst();
    return row ? toRequest(row) : null;
  }

  /** Ends a pending request without a grant (the user denied it); null when it is gone. */
  async deny(id: string, now = Date.now()): Promise<PendingRequest | null> {
    return this.db.transaction().execute(async (trx) => takeRequest(trx, id, now));
  }

  /**
   * The user approved: the request is consumed, the grant found (same client, user, organization
   * and resource, still live) or made with a new READ_ONLY key named `keyName`, and a code issued.
   * `maxKeys` is the plan's key limit (null: none).
   */
  async approve(
    input: {
      requestId: string;
      userId: string;
      orgId: string;
      keyName: string;
      maxKeys: number | null;
      codeTtlMs: number;
    },
    now = Date.now(),
  ): Promise<Approval> {
    try {
      return await this.approveInTransaction(input, now);
    } catch (error) {
      // Thrown to roll back: the request stays pending, so the user can free a key and approve again.
      if (error instanceof KeyLimitReached) return { status: 'key-limit' };
      throw error;
    }
  }

  private approveInTransaction(
    input: {
      requestId: string;
      userId: string;
      orgId: string;
      keyName: string;
      maxKeys: number | null;
      codeTtlMs: number;
    },
    now: number,
  ): Promise<Approval> {
    return this.db.transaction().execute(async (trx): Promise<Approval> => {
      const request = await takeRequest(trx, input.requestId, now);
      if (!request) return { status: 'gone' };
      const live = await trx
        .selectFrom('oauth_grants')
        .innerJoin('api_keys', 'api_keys.id', 'oauth_grants.key_id')
        .select('oauth_grants.id')
        .where('oauth_grants.client_id', '=', request.clientId)
        .where('oauth_grants.user_id', '=', input.userId)
        .where('oauth_grants.org_id', '=', input.orgId)
        .where('oauth_grants.resource', '=', request.resource)
        .where('oauth_grants.revoked_at', 'is', null)
        .where('api_keys.revoked_at', 'is', null)
        .executeTakeFirst();
      let grantId = live?.id;
      if (!grantId) {
        const keys = new ApiKeyRepository(trx);
        if (input.maxKeys !== null && (await keys.countActive(input.orgId)) >= input.maxKeys) {
          throw new KeyLimitReached();
        }
        const { info } = await keys.create(input.orgId, input.keyName, 'READ_ONLY');
        grantId = newId('grant');
        await trx
          .insertInto('oauth_grants')
          .values({
            id: grantId,
            client_id: request.clientId,
            user_id: input.userId,
            org_id: input.orgId,
            key_id: info.id,
            resource: request.resource,
            scope: request.scope,
            created_at: now,
            revoked_at: null,
          })
          .execute();
      }
      const code = token();
      await trx
        .insertInto('oauth_codes')
        .values({
          hash: hashKey(code),
          grant_id: grantId,
          redirect_uri: request.redirectUri,
          code_challenge: request.codeChallenge,
          expires_at: now + input.codeTtlMs,
          used_at: null,
        })
        .execute();
      return { status: 'ok', code, request };
    });
  }

  /** Uses a code once. A code presented again reports its grant, which the caller revokes. */
  async redeemCode(code: string, now = Date.now()): Promise<Redemption> {
    const hash = hashKey(code);
    const used = await this.db
      .updateTable('oauth_codes')
      .set({ used_at: now })
      .where('hash', '=', hash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    const row = await this.db
      .selectFrom('oauth_codes')
      .innerJoin('oauth_grants', 'oauth_grants.id', 'oauth_codes.grant_id')
      .selectAll('oauth_grants')
      .select(['oauth_codes.redirect_uri', 'oauth_codes.code_challenge', 'oauth_codes.used_at'])
      .where('oauth_codes.hash', '=', hash)
      .executeTakeFirst();
    if (!row) return { status: 'invalid' };
    if (Number(used.numUpdatedRows) === 0) {
      return row.used_at === null ? { status: 'invalid' } : { status: 'reused', grantId: row.id };
    }
    if (row.revoked_at !== null) return { status: 'invalid' };
    return {
      status: 'ok',
      grant: toGrant(row),
      redirectUri: row.redirect_uri,
      codeChallenge: row.code_challenge,
    };
  }

  async issueTokens(
    grantId: string,
    ttl: { accessMs: number; refreshMs: number },
    now = Date.now(),
  ): Promise<IssuedTokens> {
    const accessToken = token(ACCESS_TOKEN_PREFIX);
    const refreshToken = token(REFRESH_TOKEN_PREFIX);
    const row = (hash: string, kind: string, expires: number) => ({
      hash,
      grant_id: grantId,
      kind,
      created_at: now,
      expires_at: expires,
      used_at: null,
      revoked_at: null,
    });
    await this.db
      .insertInto('oauth_tokens')
      .values([
        row(hashKey(accessToken), 'access', now + ttl.accessMs),
        row(hashKey(refreshToken), 'refresh', now + ttl.refreshMs),
      ])
      .execute();
    return { accessToken, refreshToken, accessExpiresAt: now + ttl.accessMs };
  }

  /**
   * Uses a refresh token once (rotation). One presented again after its use is a replay: the
   * caller revokes the grant, since either the client or a thief holds a stolen copy.
   */
  async rotateRefresh(refreshToken: string, now = Date.now()): Promise<Rotation> {
    const hash = hashKey(refreshToken);
    const used = await this.db
      .updateTable('oauth_tokens')
      .set({ used_at: now })
      .where('hash', '=', hash)
      .where('kind', '=', 'refresh')
      .where('used_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
    const row = await this.db
      .selectFrom('oauth_tokens')
      .innerJoin('oauth_grants', 'oauth_grants.id', 'oauth_tokens.grant_id')
      .innerJoin('api_keys', 'api_keys.id', 'oauth_grants.key_id')
      .leftJoin('memberships', (join) =>
        join
          .onRef('memberships.user_id', '=', 'oauth_grants.user_id')
          .onRef('memberships.org_id', '=', 'oauth_grants.org_id'),
      )
      .selectAll('oauth_grants')
      .select([
        'oauth_tokens.used_at',
        'api_keys.revoked_at as key_revoked_at',
        'memberships.role as member_role',
      ])
      .where('oauth_tokens.hash', '=', hash)
      .where('oauth_tokens.kind', '=', 'refresh')
      .executeTakeFirst();
    if (!row) return { status: 'invalid' };
    if (Number(used.numUpdatedRows) === 0) {
      return row.used_at !== null && row.revoked_at === null
        ? { status: 'replayed', grantId: row.id }
        : { status: 'invalid' };
    }
    // A member who left the organization takes their connections along.
    if (row.revoked_at !== null || row.key_revoked_at !== null || row.member_role === null) {
      return { status: 'invalid' };
    }
    return { status: 'ok', grant: toGrant(row) };
  }

  /** The grant of a live access token, or null (unknown, expired, revoked, key or membership gone). */
  async verifyAccess(accessToken: string, now = Date.now()): Promise<TokenGrant | null> {
    const row = await this.db
      .selectFrom('oauth_tokens')
      .innerJoin('oauth_grants', 'oauth_grants.id', 'oauth_tokens.grant_id')
      .innerJoin('api_keys', 'api_keys.id', 'oauth_grants.key_id')
      .innerJoin('memberships', (join) =>
        join
          .onRef('memberships.user_id', '=', 'oauth_grants.user_id')
          .onRef('memberships.org_id', '=', 'oauth_grants.org_id'),
      )
      .select([
        'oauth_grants.id',
        'oauth_grants.client_id',
        'oauth_grants.key_id',
        'oauth_grants.org_id',
        'oauth_grants.resource',
        'oauth_grants.scope',
      ])
      .where('oauth_tokens.hash', '=', hashKey(accessToken))
      .where('oauth_tokens.kind', '=', 'access')
      .where('oauth_tokens.expires_at', '>', now)
      .where('oauth_tokens.revoked_at', 'is', null)
      .where('oauth_grants.revoked_at', 'is', null)
      .where('api_keys.revoked_at', 'is', null)
      .executeTakeFirst();
    if (!row) return null;
    return {
      grantId: row.id,
      clientId: row.client_id,
      keyId: row.key_id,
      orgId: row.org_id,
      resource: row.resource,
      scope: row.scope,
    };
  }

  /** Ends a grant: the grant, its key and every token of it. */
  async revokeGrant(grantId: string, now = Date.now()): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const grant = await trx
        .updateTable('oauth_grants')
        .set({ revoked_at: now })
        .where('id', '=', grantId)
        .where('revoked_at', 'is', null)
        .returning('key_id')
        .executeTakeFirst();
      if (grant) {
        await trx
          .updateTable('api_keys')
          .set({ revoked_at: now })
          .where('id', '=', grant.key_id)
          .where('revoked_at', 'is', null)
          .execute();
      }
      await trx
        .updateTable('oauth_tokens')
        .set({ revoked_at: now })
        .where('grant_id', '=', grantId)
        .where('revoked_at', 'is', null)
        .execute();
    });
  }

  /** The client a token was issued to, or null for an unknown token. */
  async tokenClient(value: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('oauth_tokens')
      .innerJoin('oauth_grants', 'oauth_grants.id', 'oauth_tokens.grant_id')
      .select('oauth_grants.client_id')
      .where('oauth_tokens.hash', '=', hashKey(value))
      .executeTakeFirst();
    return row?.client_id ?? null;
  }

  /**
   * RFC 7009 revocation: an access token ends alone; a refresh token ends its grant (the client
   * is disconnecting). Returns the token's client, or null for an unknown token.
   */
  async revokeToken(value: string, now = Date.now()): Promise<{ clientId: string } | null> {
    const row = await this.db
      .selectFrom('oauth_tokens')
      .innerJoin('oauth_grants', 'oauth_grants.id', 'oauth_tokens.grant_id')
      .select(['oauth_tokens.kind', 'oauth_tokens.grant_id', 'oauth_grants.client_id'])
      .where('oauth_tokens.hash', '=', hashKey(value))
      .executeTakeFirst();
    if (!row) return null;
    if (row.kind === 'refresh') await this.revokeGrant(row.grant_id, now);
    else
      await this.db
        .updateTable('oauth_tokens')
        .set({ revoked_at: now })
        .where('hash', '=', hashKey(value))
        .where('revoked_at', 'is', null)
        .execute();
    return { clientId: row.client_id };
  }

  /**
   * Drops what can never be used again: expired requests, codes and tokens, and clients nobody
   * approved within `unusedClientMs` (registration is open to anyone, so it must not pile up).
   */
  async deleteExpired(now = Date.now(), unusedClientMs = 7 * 24 * 60 * 60_000): Promise<void> {
    await this.db.deleteFrom('oauth_requests').where('expires_at', '<=', now).execute();
    await this.db.deleteFrom('oauth_codes').where('expires_at', '<=', now).execute();
    await this.db.deleteFrom('oauth_tokens').where('expires_at', '<=', now).execute();
    await this.db
      .deleteFrom('oauth_clients')
      .where('created_at', '<=', now - unusedClientMs)
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('oauth_grants')
              .select('oauth_grants.id')
              .whereRef('oauth_grants.client_id', '=', 'oauth_clients.id'),
          ),
        ),
      )
      .where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('oauth_requests')
              .select('oauth_requests.id_hash')
              .whereRef('oauth_requests.client_id', '=', 'oauth_clients.id'),
          ),
        ),
      )
      .execute();
  }
}

type RequestRow = {
  client_id: string;
  redirect_uri: string;
  code_challenge: string;
  resource: string;
  scope: string;
  state: string | null;
  expires_at: number;
};

function toRequest(row: RequestRow): PendingRequest {
  return {
    clientId: row.client_id,
    redirectUri: row.redirect_uri,
    codeChallenge: row.code_challenge,
    resource: row.resource,
    scope: row.scope,
    state: row.state,
    expiresAt: Number(row.expires_at),
  };
}

async function takeRequest(db: Kysely<Database>, id: string, now: number): Promise<PendingRequest | null> {
  const row = await db
    .deleteFrom('oauth_requests')
    .where('id_hash', '=', hashKey(id))
    .returningAll()
    .executeTakeFirst();
  return row && Number(row.expires_at) > now ? toRequest(row) : null;
}
