/** The OAuth repository on both engines: one-time codes, rotation with replay detection, revocation through the key. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { openStore, type Store } from './store.js';

const RESOURCE = 'http://127.0.0.1:8080/api/mcp/mcp';
const TTL = { accessMs: 60_000, refreshMs: 600_000 };

describe.each(ENGINES)('OAuth repository on %s', (engine) => {
  let store: Store;
  let orgId: string;
  let userId: string;
  let clientId: string;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-oauth-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;

  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    orgId = (await store.organizations.ensureDefault()).id;
    userId = (
      await store.users.create({ email: 'ann@example.com', name: 'Ann', passwordHash: 'scrypt$test' })
    ).id;
    await store.memberships.add(userId, orgId, 'MEMBER');
    clientId = await store.oauth.register({
      name: 'Test client',
      redirectUris: ['http://127.0.0.1/callback'],
      clientUri: null,
    });
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function approve(maxKeys: number | null = null, now = Date.now()) {
    const requestId = await store.oauth.createRequest({
      clientId,
      redirectUri: 'http://127.0.0.1:5555/callback',
      codeChallenge: 'challenge',
      resource: RESOURCE,
      scope: 'opstrails:read',
      state: 'xyz',
      expiresAt: now + 60_000,
    });
    return store.oauth.approve(
      { requestId, userId, orgId, keyName: 'MCP — Test client', maxKeys, codeTtlMs: 60_000 },
      now,
    );
  }

  it('approves once per request, creating one READ_ONLY key and reusing it for the next approval', async () => {
    const first = await approve();
    expect(first.status).toBe('ok');
    const keys = await store.apiKeys.list(orgId);
    expect(keys.filter((k) => k.name === 'MCP — Test client')).toMatchObject([{ scope: 'READ_ONLY' }]);
    const second = await approve();
    expect(second.status).toBe('ok');
    expect((await store.apiKeys.list(orgId)).filter((k) => k.name === 'MCP — Test client')).toHaveLength(1);
    if (first.status !== 'ok') return;
    const redeemed = await store.oauth.redeemCode(first.code);
    expect(redeemed).toMatchObject({ status: 'ok', redirectUri: 'http://127.0.0.1:5555/callback' });
  });

  it('consumes a request on approval: approving it twice finds it gone', async () => {
    const now = Date.now();
    const requestId = await store.oauth.createRequest({
      clientId,
      redirectUri: 'http://127.0.0.1/callback',
      codeChallenge: 'c',
      resource: RESOURCE,
      scope: 'opstrails:read',
      state: null,
      expiresAt: now + 60_000,
    });
    const input = {
      requestId,
      userId,
      orgId,
      keyName: 'MCP — Test client',
      maxKeys: null,
      codeTtlMs: 60_000,
    };
    expect((await store.oauth.approve(input, now)).status).toBe('ok');
    expect((await store.oauth.approve(input, now)).status).toBe('gone');
  });

  it('refuses a new key past the plan limit', async () => {
    const other = await store.oauth.register({
      name: 'Other',
      redirectUris: ['http://127.0.0.1/cb'],
      clientUri: null,
    });
    const requestId = await store.oauth.createRequest({
      clientId: other,
      redirectUri: 'http://127.0.0.1/cb',
      codeChallenge: 'c',
      resource: RESOURCE,
      scope: 'opstrails:read',
      state: null,
      expiresAt: Date.now() + 60_000,
    });
    const active = await store.apiKeys.countActive(orgId);
    const result = await store.oauth.approve({
      requestId,
      userId,
      orgId,
      keyName: 'MCP — Other',
      maxKeys: active,
      codeTtlMs: 60_000,
    });
    expect(result.status).toBe('key-limit');
    expect(await store.apiKeys.countActive(orgId)).toBe(active);
    // The request is still pending: once a key is free, the same consent can be approved.
    expect(await store.oauth.request(requestId)).not.toBeNull();
    const again = await store.oauth.approve({
      requestId,
      userId,
      orgId,
      keyName: 'MCP — Other',
      maxKeys: active + 1,
      codeTtlMs: 60_000,
    });
    expect(again.status).toBe('ok');
  });

  it('redeems a code once; a second use reports the grant', async () => {
    const approval = await approve();
    if (approval.status !== 'ok') throw new Error(approval.status);
    const first = await store.oauth.redeemCode(approval.code);
    expect(first.status).toBe('ok');
    const again = await store.oauth.redeemCode(approval.code);
    expect(again.status).toBe('reused');
    if (first.status === 'ok' && again.status === 'reused') expect(again.grantId).toBe(first.grant.id);
    expect((await store.oauth.redeemCode('no-such-code')).status).toBe('invalid');
  });

  it('rotates refresh tokens; a replayed one is reported and revoking the grant ends its key and tokens', async () => {
    const approval = await approve();
    if (approval.status !== 'ok') throw new Error(approval.status);
    const redeemed = await store.oauth.redeemCode(approval.code);
    if (redeemed.status !== 'ok') throw new Error(redeemed.status);
    const tokens = await store.oauth.issueTokens(redeemed.grant.id, TTL);
    expect(tokens.accessToken).toMatch(/^ota_/);
    expect(tokens.refreshToken).toMatch(/^otr_/);
    expect(await store.oauth.verifyAccess(tokens.accessToken)).toMatchObject({
      orgId,
      keyId: redeemed.grant.keyId,
      resource: RESOURCE,
    });
    const rotated = await store.oauth.rotateRefresh(tokens.refreshToken);
    expect(rotated.status).toBe('ok');
    const next = await store.oauth.issueTokens(redeemed.grant.id, TTL);
    const replay = await store.oauth.rotateRefresh(tokens.refreshToken);
    expect(replay).toEqual({ status: 'replayed', grantId: redeemed.grant.id });
    await store.oauth.revokeGrant(redeemed.grant.id);
    expect(await store.oauth.verifyAccess(next.accessToken)).toBeNull();
    expect((await store.oauth.rotateRefresh(next.refreshToken)).status).toBe('invalid');
    const key = (await store.apiKeys.list(orgId, true)).find((k) => k.id === redeemed.grant.keyId);
    expect(key?.revokedAt).not.toBeNull();
  });

  it('stores only hashes of codes and tokens', async () => {
    const approval = await approve();
    if (approval.status !== 'ok') throw new Error(approval.status);
    const redeemed = await store.oauth.redeemCode(approval.code);
    if (redeemed.status !== 'ok') throw new Error(redeemed.status);
    const tokens = await store.oauth.issueTokens(redeemed.grant.id, TTL);
    const rows = await store.db.selectFrom('oauth_tokens').select('hash').execute();
    const codes = await store.db.selectFrom('oauth_codes').select('hash').execute();
    const stored = JSON.stringify([rows, codes]);
    expect(stored).not.toContain(tokens.accessToken.slice(4));
    expect(stored).not.toContain(tokens.refreshToken.slice(4));
    expect(stored).not.toContain(approval.code);
  });

  it('ends access when the key is revoked, when the token expires, or when the user leaves the organization', async () => {
    const approval = await approve();
    if (approval.status !== 'ok') throw new Error(approval.status);
    const redeemed = await store.oauth.redeemCode(approval.code);
    if (redeemed.status !== 'ok') throw new Error(redeemed.status);
    const now = Date.now();
    const tokens = await store.oauth.issueTokens(redeemed.grant.id, TTL, now);
    expect(await store.oauth.verifyAccess(tokens.accessToken, now + TTL.accessMs + 1)).toBeNull();
    expect(await store.oauth.verifyAccess(tokens.accessToken, now)).not.toBeNull();
    await store.memberships.remove(orgId, userId);
    expect(await store.oauth.verifyAccess(tokens.accessToken, now)).toBeNull();
    const stranger = await store.oauth.issueTokens(redeemed.grant.id, TTL, now);
    expect((await store.oauth.rotateRefresh(stranger.refreshToken, now)).status).toBe('invalid');
    await store.memberships.add(userId, orgId, 'MEMBER');
    expect(await store.oauth.verifyAccess(tokens.accessToken, now)).not.toBeNull();
    await store.apiKeys.revoke(orgId, redeemed.grant.keyId);
    expect(await store.oauth.verifyAccess(tokens.accessToken, now)).toBeNull();
    expect((await store.oauth.rotateRefresh(tokens.refreshToken)).status).toBe('invalid');
  });

  it('drops expired requests and tokens, and registered clients nobody approved', async () => {
    const now = Date.now();
    const idle = await store.oauth.register(
      { name: 'Idle', redirectUris: ['http://127.0.0.1/cb'], clientUri: null },
      now - 10_000,
    );
    const requested = await store.oauth.register(
      { name: 'Asked', redirectUris: ['http://127.0.0.1/cb'], clientUri: null },
      now - 10_000,
    );
    const pending = await store.oauth.createRequest({
      clientId: requested,
      redirectUri: 'http://127.0.0.1/cb',
      codeChallenge: 'c',
      resource: RESOURCE,
      scope: 'opstrails:read',
      state: null,
      expiresAt: now + 60_000,
    });
    await store.oauth.deleteExpired(now, 5_000);
    expect(await store.oauth.client(idle)).toBeNull();
    expect(await store.oauth.client(requested)).not.toBeNull();
    await store.oauth.deleteExpired(now + 120_000, 5_000);
    expect(await store.oauth.request(pending, now)).toBeNull();
    expect(await store.oauth.client(requested)).toBeNull();
    // A client with grants stays, however old.
    expect(await store.oauth.client(clientId)).not.toBeNull();
  });

  it('revokes an access token alone, and a refresh token with its grant', async () => {
    const approval = await approve();
    if (approval.status !== 'ok') throw new Error(approval.status);
    const redeemed = await store.oauth.redeemCode(approval.code);
    if (redeemed.status !== 'ok') throw new Error(redeemed.status);
    const a = await store.oauth.issueTokens(redeemed.grant.id, TTL);
    const b = await store.oauth.issueTokens(redeemed.grant.id, TTL);
    expect(await store.oauth.revokeToken(a.accessToken)).toEqual({ clientId });
    expect(await store.oauth.verifyAccess(a.accessToken)).toBeNull();
    expect(await store.oauth.verifyAccess(b.accessToken)).not.toBeNull();
    await store.oauth.revokeToken(b.refreshToken);
    expect(await store.oauth.verifyAccess(b.accessToken)).toBeNull();
    expect(await store.oauth.revokeToken('otr_unknown')).toBeNull();
  });
});
