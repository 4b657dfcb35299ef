/**
 * Accounts that recover (issue 16), over real HTTP on both engines: reset links made by an
 * admin and mailed on request (to a real SMTP server), event deletion with its derived data,
 * the audit log, invite links that say why they no longer work, deleting an organization and
 * an account.
 */
import { formatTime } from '@opstrails/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ConsoleClient,
  errorOf,
  invite,
  login,
  OWNER,
  setupOwner,
} from '../../../test-support/console-client.js';
import { startFakeSmtp } from '../../../test-support/fake-smtp.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { ImpactVerdictRepository } from '../src/store/impact-verdicts.js';

const NEW_PASSWORD = 'a brand new passphrase';

const dataOf = async <T>(res: Response) => ((await res.json()) as { data: T }).data;

async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const publicPost = (server: TestServer, path: string, body: unknown) =>
  server.api(path, { method: 'POST', body: JSON.stringify(body) });

interface AuditPage {
  entries: {
    action: string;
    actor: { type: string; label: string | null };
    target: { id: string | null; label: string | null } | null;
  }[];
  nextCursor: string | null;
}

describe.each(ENGINES)('accounts that recover (%s)', (engine) => {
  let server: TestServer;
  let owner: ConsoleClient;
  let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;

  beforeEach(async () => {
    smtp = await startFakeSmtp();
    server = await startTestServer(engine, {
      OPSTRAILS_SMTP_URL: smtp.url,
      OPSTRAILS_SMTP_FROM: 'ops@example.com',
    });
    owner = await setupOwner(server);
  });
  afterEach(async () => {
    await server.close();
    await smtp.close();
  });

  const me = (c: ConsoleClient) => c.json<{ user: { id: string } }>('/api/v1/session');
  const audit = (c: ConsoleClient, query = '') => c.json<AuditPage>(`/api/v1/audit${query}`);

  it('lets an admin hand a member a single-use reset link that ends their other sessions', async () => {
    const member = await invite(server, owner, 'MEMBER', 'mo@example.com');
    const admin = await invite(server, owner, 'ADMIN', 'ad@example.com');
    const memberId = (await me(member)).user.id;
    const ownerId = (await me(owner)).user.id;

    expect((await member.call(`/api/v1/members/${ownerId}/reset-link`, { method: 'POST' })).status).toBe(403);
    const onOwner = await admin.call(`/api/v1/members/${ownerId}/reset-link`, { method: 'POST' });
    expect(onOwner.status).toBe(403);
    expect(await errorOf(onOwner)).toMatch(/only an OWNER/);
    const link = await admin.json<{ path: string; url: string; email: string }>(
      `/api/v1/members/${memberId}/reset-link`,
      {
        method: 'POST',
      },
    );
    expect(link.email).toBe('mo@example.com');
    expect(link.url.startsWith('http') && link.url.endsWith(link.path)).toBe(true);
    const token = link.path.split('#')[1] as string;

    const peek = await publicPost(server, '/api/v1/password-reset/peek', { token });
    expect((await dataOf<{ email: string }>(peek)).email).toBe('mo@example.com');
    const short = await publicPost(server, '/api/v1/password-reset', { token, password: 'short' });
    expect(short.status).toBe(400);
    expect(await errorOf(short)).toMatch(/^password: must be at least 10 characters/);

    const used = await publicPost(server, '/api/v1/password-reset', { token, password: NEW_PASSWORD });
    expect(used.status).toBe(200);
    expect((await dataOf<{ session: { user: { email: string } } }>(used)).session.user.email).toBe(
      'mo@example.com',
    );
    // The session from before the reset is over; the new password works, the old one not.
    expect((await member.call('/api/v1/events')).status).toBe(401);
    expect((await login(server, 'mo@example.com', NEW_PASSWORD)).csrf).toBeTruthy();
    expect(
      (
        await publicPost(server, '/api/v1/session', {
          email: 'mo@example.com',
          password: 'long enough password',
        })
      ).status,
    ).toBe(401);

    const again = await publicPost(server, '/api/v1/password-reset', { token, password: NEW_PASSWORD });
    expect(again.status).toBe(404);
    expect(await errorOf(again)).toMatch(/already used/);
    const bad = await publicPost(server, '/api/v1/password-reset/peek', { token: 'not-a-token' });
    expect(await errorOf(bad)).toMatch(/not valid/);

    const actions = (await audit(owner)).entries.map((e) => [e.action, e.target?.label]);
    expect(actions).toContainEqual(['password.reset-link-created', 'mo@example.com']);
    expect(actions).toContainEqual(['password.reset', 'mo@example.com']);
  });

  it('mails a reset link on request, with the same answer for unknown emails, and throttles', async () => {
    const ask = (email: string) => publicPost(server, '/api/v1/password-reset/request', { email });
    expect(await dataOf(await server.api('/api/v1/password-reset'))).toEqual({ mail: true });
    const unknown = await ask('nobody@example.com');
    const known = await ask(OWNER.email);
    expect([unknown.status, known.status]).toEqual([202, 202]);
    expect(await unknown.json()).toEqual(await known.json());

    const mail = await waitFor('the reset mail', () => smtp.mails[0]);
    expect(mail.to).toEqual([OWNER.email]);
    const raw = mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '=');
    const token = /\/reset-password#([A-Za-z0-9_-]+)/.exec(raw)?.[1] as string;
    expect(token).toBeTruthy();
    expect(
      (await publicPost(server, '/api/v1/password-reset', { token, password: NEW_PASSWORD })).status,
    ).toBe(200);
    expect((await owner.call('/api/v1/keys')).status).toBe(401);
    expect((await login(server, OWNER.email, NEW_PASSWORD)).csrf).toBeTruthy();

    // Three requests an hour per email, whether or not it has an account.
    for (const email of [OWNER.email, 'nobody@example.com']) {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await ask(email)).status);
      expect(statuses.at(-1)).toBe(429);
    }
    expect(smtp.mails.every((m) => m.to[0] === OWNER.email)).toBe(true);
  });

  it('deletes an event sent by mistake, with its verdict and violation, and records it', async () => {
    const writer = await server.key('READ_WRITE');
    const adminKey = await server.key('ADMIN');
    const t = Date.now();
    const freeze = await owner.call('/api/v1/guardrails/freezes', {
      method: 'POST',
      body: { name: 'Freeze', startsAt: formatTime(t - 3_600_000), endsAt: formatTime(t + 3_600_000) },
    });
    expect(freeze.status).toBe(201);
    const event = {
      specversion: '1.0',
      id: 'oops-1',
      type: 'deployment',
      source: 'BE',
      subject: 'PRODUCTION',
      time: 'NOW',
      version: 'v1',
    };
    expect(
      (await server.api('/api/v1/events', { method: 'POST', key: writer, body: JSON.stringify(event) }))
        .status,
    ).toBe(201);
    await waitFor(
      'the violation',
      async () =>
        (await owner.json<{ violations: unknown[] }>('/api/v1/guardrails/violations')).violations.length > 0,
    );
    await new ImpactVerdictRepository(server.store.db).addPending(
      [
        {
          orgId: server.defaultOrg.id,
          eventId: 'oops-1',
          eventSource: 'BE',
          eventTime: t,
          subject: 'PRODUCTION',
          window: '2h',
          dueAt: t,
        },
      ],
      t,
    );

    const byWriter = await server.api('/api/v1/events/oops-1', { method: 'DELETE', key: writer });
    expect(byWriter.status).toBe(403);
    const member = await invite(server, owner, 'MEMBER', 'mo@example.com');
    expect((await member.call('/api/v1/events/oops-1', { method: 'DELETE' })).status).toBe(403);
    expect((await server.api('/api/v1/events/nope', { method: 'DELETE', key: adminKey })).status).toBe(404);
    const deleted = await server.api('/api/v1/events/oops-1', { method: 'DELETE', key: adminKey });
    expect(deleted.status).toBe(200);
    expect((await server.api('/api/v1/events/oops-1', { key: writer })).status).toBe(404);
    expect((await server.api('/api/v1/events/oops-1', { method: 'DELETE', key: adminKey })).status).toBe(404);

    // Derived data went with it; the pages that read it still answer.
    expect((await owner.json<{ violations: unknown[] }>('/api/v1/guardrails/violations')).violations).toEqual(
      [],
    );
    expect((await owner.call('/api/v1/regressions')).status).toBe(200);
    expect((await owner.call('/api/v1/events/oops-1/impact')).status).toBe(404);
    expect((await owner.call('/api/v1/grid')).status).toBe(200);
    const settings = (await audit(owner, '?action=settings.changed')).entries;
    expect(settings.map((e) => e.target?.id)).toEqual(['POST /api/v1/guardrails/freezes']);
    const entry = (await audit(owner, '?action=event.deleted')).entries[0];
    expect(entry).toMatchObject({ actor: { type: 'key', label: 'test-ADMIN' }, target: { id: 'oops-1' } });
  });

  it('lists the audit log a page at a time, to admins only', async () => {
    await owner.json('/api/v1/keys', { method: 'POST', body: { name: 'ci', scope: 'READ_WRITE' } });
    const member = await invite(server, owner, 'MEMBER', 'mo@example.com');
    const memberId = (await me(member)).user.id;
    await owner.json(`/api/v1/members/${memberId}`, { method: 'PATCH', body: { role: 'ADMIN' } });
    await owner.json(`/api/v1/members/${memberId}`, { method: 'DELETE' });

    const all = await audit(owner);
    expect(all.entries.map((e) => e.action).slice(0, 5)).toEqual(
      expect.arrayContaining([
        'member.removed',
        'member.role-changed',
        'invite.used',
        'invite.created',
        'key.created',
      ]),
    );
    expect(all.entries[0]).toMatchObject({
      action: 'member.removed',
      actor: { type: 'user', label: OWNER.email },
      target: { label: 'mo@example.com' },
    });
    const first = await audit(owner, '?limit=2');
    expect(first.entries).toHaveLength(2);
    const second = await audit(owner, `?limit=2&cursor=${first.nextCursor}`);
    expect(second.entries[0]?.action).toBe(all.entries[2]?.action);
    expect((await owner.call('/api/v1/audit?limit=0')).status).toBe(400);
    expect((await owner.call('/api/v1/audit?cursor=zzz')).status).toBe(400);

    const writer = await server.key('READ_WRITE');
    expect((await server.api('/api/v1/audit', { key: writer })).status).toBe(403);
    expect((await server.api('/api/v1/audit', { key: await server.key('ADMIN') })).status).toBe(200);
    const reader = await invite(server, owner, 'MEMBER', 're@example.com');
    expect((await reader.call('/api/v1/audit')).status).toBe(403);
  });

  it('says whether an invite link was used or is not valid', async () => {
    const { token } = await owner.json<{ token: string }>('/api/v1/invites', {
      method: 'POST',
      body: { role: 'MEMBER' },
    });
    await invite(server, owner, 'MEMBER', 'first@example.com');
    const accept = { token, email: 'x@example.com', name: 'X', password: 'long enough password' };
    expect((await publicPost(server, '/api/v1/invites/accept', accept)).status).toBe(201);
    const usedPeek = await publicPost(server, '/api/v1/invites/peek', { token });
    expect(usedPeek.status).toBe(404);
    expect(await errorOf(usedPeek)).toMatch(/already used/);
    expect(await errorOf(await publicPost(server, '/api/v1/invites/peek', { token: 'garbage' }))).toMatch(
      /not valid/,
    );
  });

  it('lets an OWNER delete an organization by typing its name: its events and keys go', async () => {
    const other = await owner.json<{ organization: { id: string; name: string } }>('/api/v1/organizations', {
      method: 'POST',
      body: { name: 'Scratch' },
    });
    const orgId = other.organization.id;
    const key = await server.key('READ_WRITE', orgId);
    const event = { specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW' };
    expect(
      (await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(event) })).status,
    ).toBe(201);
    const admin = await invite(server, owner, 'ADMIN', 'ad@example.com');
    expect(
      (await admin.call(`/api/v1/organizations/${orgId}`, { method: 'DELETE', body: { confirm: 'Scratch' } }))
        .status,
    ).toBe(403);

    const wrong = await owner.call(`/api/v1/organizations/${orgId}`, {
      method: 'DELETE',
      body: { confirm: 'scratc' },
    });
    expect(wrong.status).toBe(400);
    expect(await errorOf(wrong)).toMatch(/^confirm: type the organization's name exactly \("Scratch"\)/);
    const gone = await owner.json<{ session: { organization: { id: string } } | null }>(
      `/api/v1/organizations/${orgId}`,
      {
        method: 'DELETE',
        body: { confirm: 'Scratch' },
      },
    );
    expect(gone.session?.organization.id).toBe(server.defaultOrg.id);
    expect((await server.api('/api/v1/events', { key })).status).toBe(401);
    const left = await server.store.db
      .selectFrom('events')
      .select('id')
      .where('org_id', '=', orgId)
      .execute();
    expect(left).toEqual([]);
    expect(await server.store.organizations.byId(orgId)).toBeNull();

    // Deleting the last one leaves the account OWNER of a new, empty default organization.
    // (The session lived in the deleted organization: the answer set a new cookie; sign in afresh here.)
    const signedIn = await login(server, OWNER.email, OWNER.password);
    const last = await signedIn.json<{
      freshOrganization: boolean;
      session: { organization: { id: string; slug: string } };
    }>(`/api/v1/organizations/${server.defaultOrg.id}`, { method: 'DELETE', body: { confirm: 'Acme' } });
    expect(last.freshOrganization).toBe(true);
    expect(last.session.organization.slug).toBe('default');
    expect(last.session.organization.id).not.toBe(server.defaultOrg.id);
    expect((await login(server, OWNER.email, OWNER.password)).csrf).toBeTruthy();
  });

  it('lets a user delete their own account, but not as the last owner of a team', async () => {
    const member = await invite(server, owner, 'MEMBER', 'mo@example.com');
    const refused = await owner.call('/api/v1/account', { method: 'DELETE', body: { confirm: OWNER.email } });
    expect(refused.status).toBe(409);
    expect(await errorOf(refused)).toMatch(/last OWNER of "Acme"/);
    const wrong = await member.call('/api/v1/account', {
      method: 'DELETE',
      body: { confirm: 'someone@example.com' },
    });
    expect(wrong.status).toBe(400);
    // An organization only they belong to goes with the account, events and keys too.
    const solo = await member.json<{ organization: { id: string } }>('/api/v1/organizations', {
      method: 'POST',
      body: { name: 'Solo' },
    });
    const soloKey = await server.key('READ_WRITE', solo.organization.id);
    const event = { specversion: '1.0', type: 'deployment', source: 'SOLO', time: 'NOW' };
    expect(
      (await server.api('/api/v1/events', { method: 'POST', key: soloKey, body: JSON.stringify(event) }))
        .status,
    ).toBe(201);
    const gone = await member.json<{ organizationsDeleted: number }>('/api/v1/account', {
      method: 'DELETE',
      body: { confirm: 'mo@example.com' },
    });
    expect(gone.organizationsDeleted).toBe(1);
    expect(await server.store.organizations.byId(solo.organization.id)).toBeNull();
    expect((await server.api('/api/v1/events', { key: soloKey })).status).toBe(401);
    const soloEvents = await server.store.db
      .selectFrom('events')
      .select('id')
      .where('org_id', '=', solo.organization.id)
      .execute();
    expect(soloEvents).toEqual([]);
    expect(await server.store.organizations.byId(server.defaultOrg.id)).not.toBeNull();
    expect(
      (
        await publicPost(server, '/api/v1/session', {
          email: 'mo@example.com',
          password: 'long enough password',
        })
      ).status,
    ).toBe(401);
    expect((await audit(owner)).entries[0]).toMatchObject({
      action: 'account.deleted',
      target: { label: 'mo@example.com' },
    });
  });
});
