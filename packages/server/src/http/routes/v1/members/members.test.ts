import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ConsoleClient,
  errorOf,
  invite,
  login,
  setupOwner,
} from '../../../../../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../../../../../test-support/test-server.js';

describe.each(ENGINES)('members, roles and invites (%s)', (engine) => {
  let server: TestServer;
  let owner: ConsoleClient;
  beforeEach(async () => {
    server = await startTestServer(engine);
    owner = await setupOwner(server);
  });
  afterEach(() => server.close());

  const me = (c: ConsoleClient) => c.json<{ user: { id: string }; role: string }>('/api/v1/session');

  it('joins through an invite link once, with the invited role', async () => {
    const { token } = await owner.json<{ token: string }>('/api/v1/invites', {
      method: 'POST',
      body: { role: 'ADMIN' },
    });
    const peek = await server.api('/api/v1/invites/peek', {
      method: 'POST',
      body: JSON.stringify({ token }),
    });
    expect(await peek.json()).toMatchObject({ data: { organization: 'Acme', role: 'ADMIN' } });
    const body = JSON.stringify({
      token,
      email: 'ada@example.com',
      name: 'Ada',
      password: 'long enough password',
    });
    const accepted = await server.api('/api/v1/invites/accept', { method: 'POST', body });
    expect(accepted.status).toBe(201);
    const reused = await server.api('/api/v1/invites/accept', {
      method: 'POST',
      body: JSON.stringify({
        token,
        email: 'eve@example.com',
        name: 'Eve',
        password: 'long enough password',
      }),
    });
    expect(reused.status).toBe(404);
    const members = await owner.json<{ email: string; role: string }[]>('/api/v1/members');
    expect(members.map((m) => [m.email, m.role])).toEqual([
      ['owner@example.com', 'OWNER'],
      ['ada@example.com', 'ADMIN'],
    ]);
    expect((await login(server, 'ada@example.com', 'long enough password')).csrf).toBeTruthy();
  });

  it('refuses admin actions to a MEMBER through the API', async () => {
    const member = await invite(server, owner, 'MEMBER', 'mo@example.com');
    const { info } = await owner.json<{ info: { id: string } }>('/api/v1/keys', {
      method: 'POST',
      body: { name: 'ci', scope: 'READ_WRITE' },
    });
    const refused = [
      await member.call('/api/v1/keys'),
      await member.call('/api/v1/keys', { method: 'POST', body: { name: 'mine', scope: 'READ_WRITE' } }),
      await member.call(`/api/v1/keys/${info.id}`, { method: 'DELETE' }),
      await member.call('/api/v1/invites', { method: 'POST', body: { role: 'ADMIN' } }),
      await member.call(`/api/v1/members/${(await me(owner)).user.id}`, {
        method: 'PATCH',
        body: { role: 'MEMBER' },
      }),
      await member.call(`/api/v1/members/${(await me(owner)).user.id}`, { method: 'DELETE' }),
      await member.call('/api/v1/context', { method: 'PUT', body: { context: 'hijacked' } }),
      await member.call('/api/v1/events', {
        method: 'POST',
        body: { specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW' },
      }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
    expect((await member.call('/api/v1/events')).status).toBe(200);
    expect((await member.call('/api/v1/context')).status).toBe(200);
    expect((await owner.json<unknown[]>('/api/v1/keys')).length).toBe(1);
  });

  it('never removes or demotes the last owner; an admin cannot touch owners', async () => {
    const ownerId = (await me(owner)).user.id;
    const demote = await owner.call(`/api/v1/members/${ownerId}`, {
      method: 'PATCH',
      body: { role: 'ADMIN' },
    });
    expect(demote.status).toBe(409);
    expect(await errorOf(demote)).toMatch(/last OWNER/);
    expect((await owner.call(`/api/v1/members/${ownerId}`, { method: 'DELETE' })).status).toBe(409);

    const admin = await invite(server, owner, 'ADMIN', 'ad@example.com');
    expect((await admin.call(`/api/v1/members/${ownerId}`, { method: 'DELETE' })).status).toBe(403);
    expect((await admin.call('/api/v1/invites', { method: 'POST', body: { role: 'OWNER' } })).status).toBe(
      403,
    );

    const second = await invite(server, owner, 'OWNER', 'o2@example.com');
    const secondId = (await me(second)).user.id;
    expect(
      (await owner.call(`/api/v1/members/${ownerId}`, { method: 'PATCH', body: { role: 'MEMBER' } })).status,
    ).toBe(200);
    expect((await second.call(`/api/v1/members/${secondId}`, { method: 'DELETE' })).status).toBe(409);
    expect((await me(owner)).role).toBe('MEMBER');
  });

  it('ends a removed member’s access at once', async () => {
    const member = await invite(server, owner, 'MEMBER', 'gone@example.com');
    expect((await member.call('/api/v1/events')).status).toBe(200);
    const id = (await me(member)).user.id;
    expect((await owner.call(`/api/v1/members/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await member.call('/api/v1/events')).status).toBe(401);
  });

  it('keeps each organization’s data to its own sessions, and switches between them', async () => {
    const key = await server.key('READ_WRITE');
    const event = {
      specversion: '1.0',
      type: 'deployment',
      source: 'BE',
      time: 'NOW',
      subject: 'PRODUCTION',
    };
    expect(
      (await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(event) })).status,
    ).toBe(201);
    const other = await invite(server, owner, 'MEMBER', 'other@example.com');
    const created = await other.json<{ organization: { id: string } }>('/api/v1/organizations', {
      method: 'POST',
      body: { name: 'Other Co' },
    });
    expect(created.organization.id).not.toBe(server.defaultOrg.id);
    const page = await other.json<{ events: unknown[] }>('/api/v1/events');
    expect(page.events).toEqual([]);
    expect((await other.json<{ cells: unknown[] }>('/api/v1/grid')).cells).toEqual([]);
    const stranger = await other.call('/api/v1/session', {
      method: 'PUT',
      body: { organizationId: 'org_nope' },
    });
    expect(stranger.status).toBe(404);
    await other.json('/api/v1/session', { method: 'PUT', body: { organizationId: server.defaultOrg.id } });
    expect((await other.json<{ events: unknown[] }>('/api/v1/events')).events).toHaveLength(1);
    // The owner of the first organization was never invited into the new one.
    const forced = await owner.call('/api/v1/session', {
      method: 'PUT',
      body: { organizationId: created.organization.id },
    });
    expect(forced.status).toBe(404);
  });
});
