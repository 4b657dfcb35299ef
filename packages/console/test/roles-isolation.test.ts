/**
 * Roles and tenancy in the browser: a MEMBER who joined by invite link is refused every admin
 * action through the API itself, and a session in one organization never sees another's events.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import {
  BROWSER_TEST_MS,
  type Browser,
  launch,
  PHONE,
  sampleEvent,
  screenshot,
  setupInBrowser,
} from './browser.js';

interface Answer<T> {
  status: number;
  body: { data: T; error?: string };
}

/** Calls the API from inside the page, with the page's cookie and its CSRF token. */
async function apiFromPage<T = unknown>(
  page: Page,
  path: string,
  method = 'GET',
  body?: unknown,
): Promise<Answer<T>> {
  return page.evaluate(
    async ({ path, method, body }) => {
      const session = (await (await fetch('/api/v1/session')).json()) as { data: { csrfToken: string } };
      const headers: Record<string, string> = { 'x-csrf-token': session.data.csrfToken };
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: res.status, body: (await res.json()) as { data: T; error?: string } };
    },
    { path, method, body },
  );
}

describe.each(ENGINES)('console: roles and organizations (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'keeps a member out of admin actions and each organization to itself',
    async () => {
      const ownerPage = await (await browser.user()).page();
      await setupInBrowser(ownerPage, server.url);
      const key = await server.key('READ_WRITE');
      const sent = await server.api('/api/v1/events', {
        method: 'POST',
        key,
        body: JSON.stringify(sampleEvent()),
      });
      const secretEvent = ((await sent.json()) as { data: { id: string } }).data.id;

      await ownerPage.getByRole('link', { name: 'Settings' }).click();
      await ownerPage.getByRole('link', { name: 'Members' }).click();
      await ownerPage.getByRole('button', { name: 'Create invite link' }).click();
      const link = (await ownerPage.getByTestId('invite-link').textContent()) ?? '';
      expect(link).toContain(`${server.url}/invite#`);

      const memberPage = await (await browser.user()).page(PHONE);
      await memberPage.goto(link);
      await memberPage.getByRole('heading', { name: 'Join Acme Ops' }).waitFor();
      await memberPage.getByLabel('Your name').fill('Mia Member');
      await memberPage.getByLabel('Email').fill('mia@example.com');
      await memberPage.getByLabel('Password').fill('a long member password');
      await memberPage.getByRole('button', { name: 'Join' }).click();
      await expect.poll(() => memberPage.getByTestId('event-row').count()).toBe(1);

      await memberPage.goto(`${server.url}/settings/keys`);
      await memberPage.getByText('Only owners and admins manage API keys').waitFor();
      await screenshot(memberPage, `member-keys-${engine}`);
      const members = await apiFromPage<{ userId: string; role: string }[]>(memberPage, '/api/v1/members');
      const ownerId = members.body.data.find((m) => m.role === 'OWNER')?.userId;
      const refused = [
        await apiFromPage(memberPage, '/api/v1/keys', 'POST', { name: 'sneaky', scope: 'READ_WRITE' }),
        await apiFromPage(memberPage, '/api/v1/keys'),
        await apiFromPage(memberPage, '/api/v1/invites', 'POST', { role: 'ADMIN' }),
        await apiFromPage(memberPage, `/api/v1/members/${ownerId}`, 'PATCH', { role: 'MEMBER' }),
        await apiFromPage(memberPage, `/api/v1/members/${ownerId}`, 'DELETE'),
        await apiFromPage(memberPage, '/api/v1/context', 'PUT', { context: 'defaced' }),
      ];
      expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403]);
      expect(refused[0]?.body.error).toMatch(/ADMIN role/);

      // The member starts an organization of their own: nothing of Acme's is visible there.
      await memberPage.goto(`${server.url}/settings/members`);
      await memberPage.getByLabel('Name').fill('Mia Labs');
      await memberPage.getByRole('button', { name: 'Create and switch' }).click();
      await memberPage.getByRole('heading', { name: 'Waiting for your first event' }).waitFor();
      const own = await apiFromPage<{ events: unknown[] }>(memberPage, '/api/v1/events');
      expect(own.body.data.events).toEqual([]);
      expect((await apiFromPage(memberPage, `/api/v1/events/${secretEvent}`)).status).toBe(404);
      expect((await apiFromPage<{ cells: unknown[] }>(memberPage, '/api/v1/grid')).body.data.cells).toEqual(
        [],
      );
      await screenshot(memberPage, `member-own-org-${engine}`);

      // The owner of Acme is not a member of Mia Labs and cannot switch into it.
      const orgs = (
        await apiFromPage<{ organizations: { id: string; name: string }[] }>(memberPage, '/api/v1/session')
      ).body.data.organizations;
      const miaLabs = orgs.find((o) => o.name === 'Mia Labs')?.id;
      expect(
        (await apiFromPage(ownerPage, '/api/v1/session', 'PUT', { organizationId: miaLabs })).status,
      ).toBe(404);

      // The live feed is per organization: an Acme event sent first never reaches Mia Labs' open
      // feed, which does receive its own event sent right after (the stream is in row order).
      await expect.poll(() => memberPage.getByTestId('live-status').getAttribute('data-status')).toBe('live');
      const acme = sampleEvent({ type: 'acme-only', data: { description: 'acme secret' } });
      expect(
        (await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(acme) })).status,
      ).toBe(201);
      const miaKey = await server.key('READ_WRITE', miaLabs);
      const mia = sampleEvent({ type: 'mia-deploy', source: 'MIA' });
      expect(
        (await server.api('/api/v1/events', { method: 'POST', key: miaKey, body: JSON.stringify(mia) }))
          .status,
      ).toBe(201);
      await expect.poll(() => memberPage.getByTestId('event-row').count()).toBe(1);
      expect(await memberPage.getByTestId('event-row').textContent()).toContain('mia-deploy');

      // Switching back shows Acme's events again.
      await memberPage.getByLabel('Organization').selectOption({ label: 'Acme Ops' });
      await expect.poll(() => memberPage.getByTestId('event-row').count()).toBe(2);

      // The owner removes the member: their next step in Acme lands on sign-in.
      await ownerPage.goto(`${server.url}/settings/members`);
      const row = ownerPage.getByTestId('member-row').filter({ hasText: 'mia@example.com' });
      await row.getByRole('button', { name: 'Remove' }).click();
      await row.getByRole('button', { name: 'Yes, remove' }).click();
      await expect.poll(() => ownerPage.getByTestId('member-row').count()).toBe(1);
      // On a phone the pages sit behind the Menu button.
      await memberPage.getByRole('button', { name: 'Menu' }).click();
      await memberPage.getByRole('link', { name: 'Grid' }).click();
      await memberPage.getByRole('heading', { name: 'Sign in' }).waitFor();
    },
    BROWSER_TEST_MS,
  );
});
