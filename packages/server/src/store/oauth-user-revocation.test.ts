/**
 * A password reset and a deleted account end the user's OAuth grants on both engines: the MCP
 * client's access and refresh tokens stop working and the grant's key is revoked, while another
 * user's grant in the same organization keeps working.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../../../../test-support/test-server.js';
import { storeForSuite } from '../../../../test-support/test-store.js';
import { deleteUser } from './account-deletion.js';
import { PasswordResetRepository } from './password-resets.js';
import type { Store } from './store.js';

const RESOURCE = 'http://127.0.0.1:8080/api/mcp/mcp';
const TTL = { accessMs: 60_000, refreshMs: 600_000 };

describe.each(ENGINES)('revoking a user’s OAuth grants on %s', (engine) => {
  const suite = storeForSuite(engine, 'oauth-user');
  let store: Store;
  let orgId: string;
  let clientId: string;

  beforeAll(async () => {
    ({ store, orgId } = suite);
    clientId = await store.oauth.register({
      name: 'Test client',
      redirectUris: ['http://127.0.0.1/callback'],
      clientUri: null,
    });
  });

  async function member(email: string) {
    const id = (await store.users.create({ email, name: email, passwordHash: 'scrypt$test' })).id;
    await store.memberships.add(id, orgId, 'MEMBER');
    return id;
  }

  /** Connects the client as `userId`: a grant, its key and a pair of tokens. */
  async function connect(userId: string) {
    const requestId = await store.oauth.createRequest({
      clientId,
      redirectUri: 'http://127.0.0.1/callback',
      codeChallenge: 'challenge',
      resource: RESOURCE,
      scope: 'opstrails:read',
      state: null,
      expiresAt: Date.now() + 60_000,
    });
    const approval = await store.oauth.approve({
      requestId,
      userId,
      orgId,
      keyName: `MCP — Test client (${userId})`,
      maxKeys: null,
      codeTtlMs: 60_000,
    });
    if (approval.status !== 'ok') throw new Error(`approval: ${approval.status}`);
    const redeemed = await store.oauth.redeemCode(approval.code);
    if (redeemed.status !== 'ok') throw new Error(`redemption: ${redeemed.status}`);
    const tokens = await store.oauth.issueTokens(redeemed.grant.id, TTL);
    expect(await store.oauth.verifyAccess(tokens.accessToken)).toMatchObject({ orgId });
    return { keyId: redeemed.grant.keyId, ...tokens };
  }

  async function keyRevoked(keyId: string): Promise<boolean> {
    const keys = await store.apiKeys.list(orgId, true);
    return keys.find((k) => k.id === keyId)?.revokedAt !== null;
  }

  it('a used reset link revokes the user’s grants, keys and tokens, and no one else’s', async () => {
    const ann = await member('ann-reset@example.com');
    const bob = await member('bob-reset@example.com');
    const annClient = await connect(ann);
    const bobClient = await connect(bob);
    const resets = new PasswordResetRepository(store.db);
    const { token } = await resets.create(ann, ann, 60_000);

    expect(await resets.use(token, 'scrypt$new')).toEqual({ userId: ann });

    expect(await store.oauth.verifyAccess(annClient.accessToken)).toBeNull();
    expect(await store.oauth.rotateRefresh(annClient.refreshToken)).toEqual({ status: 'invalid' });
    expect(await keyRevoked(annClient.keyId)).toBe(true);
    expect(await store.oauth.verifyAccess(bobClient.accessToken)).toMatchObject({ keyId: bobClient.keyId });
    expect(await keyRevoked(bobClient.keyId)).toBe(false);
  });

  it('deleting an account revokes the key of each of its grants in the organizations that stay', async () => {
    const cy = await member('cy-delete@example.com');
    await member('dee-delete@example.com');
    const cyClient = await connect(cy);

    expect(await deleteUser(store, cy)).toEqual({ deletedOrgs: [] });

    expect(await store.organizations.byId(orgId)).not.toBeNull();
    expect(await keyRevoked(cyClient.keyId)).toBe(true);
    expect(await store.oauth.verifyAccess(cyClient.accessToken)).toBeNull();
    expect(await store.oauth.rotateRefresh(cyClient.refreshToken)).toEqual({ status: 'invalid' });
  });
});
