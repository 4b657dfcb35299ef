/**
 * Accounts that recover, in Chromium against a real server (and a real SMTP server): a member
 * who forgot the password asks for a mail from the sign-in page and sets a new one through its
 * link; an admin makes a reset link on the Members page; an OWNER deletes an event and reads it
 * in the audit log; a used invite link says so and offers sign-in; the OWNER deletes the
 * organization by typing its name. Each new page gets an axe scan.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invite, login } from '../../../test-support/console-client.js';
import { startFakeSmtp } from '../../../test-support/fake-smtp.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { seriousViolations } from './axe.js';
import {
  BROWSER_TEST_MS,
  type Browser,
  launch,
  OWNER,
  PHONE,
  sampleEvent,
  screenshot,
  setupInBrowser,
} from './browser.js';

async function waitFor<T>(what: string, probe: () => T | Promise<T>, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function expectAccessible(page: Page): Promise<void> {
  expect(await seriousViolations(page)).toEqual([]);
}

describe.each(ENGINES)('console: accounts that recover (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let smtp: Awaited<ReturnType<typeof startFakeSmtp>>;
  beforeAll(async () => {
    smtp = await startFakeSmtp();
    server = await startTestServer(engine, {
      OPSTRAILS_SMTP_URL: smtp.url,
      OPSTRAILS_SMTP_FROM: 'ops@example.com',
    });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await smtp?.close();
  });

  it(
    'resets a forgotten password by mail and by an admin’s link; deletes an event; shows the audit log',
    async () => {
      const page = await (await browser.user()).page();
      await setupInBrowser(page, server.url);
      const ownerApi = await login(server, OWNER.email, OWNER.password);
      const member = await invite(server, ownerApi, 'MEMBER', 'mo@example.com');

      // Signed out, the member asks for a mail from the sign-in page.
      const phone = await (await browser.user()).page(PHONE);
      await phone.goto(server.url);
      await phone.getByRole('link', { name: 'Forgot your password?' }).click();
      await phone.getByRole('heading', { name: 'Forgot your password?' }).waitFor();
      await expectAccessible(phone);
      await phone.getByLabel('Email').fill('mo@example.com');
      await phone.getByRole('button', { name: 'Mail me a link' }).click();
      await phone.getByText('If an account uses this email').waitFor();
      const mail = await waitFor('the reset mail', () =>
        smtp.mails.find((m) => m.to[0] === 'mo@example.com'),
      );
      const link = /(http:\/\/\S+\/reset-password#[A-Za-z0-9_-]+)/.exec(
        mail.raw.replace(/=\r?\n/g, '').replace(/=3D/g, '='),
      )?.[1] as string;
      expect(link).toBeTruthy();
      await phone.goto(link.replace(/^http:\/\/[^/]+/, server.url));
      await phone.getByRole('heading', { name: 'Set a new password' }).waitFor();
      await phone.getByText('For mo@example.com').waitFor();
      await expectAccessible(phone);
      await screenshot(phone, `reset-password-phone-${engine}`);
      await phone.getByLabel('New password').fill('too short');
      await phone.getByRole('button', { name: 'Set password and sign in' }).click();
      await phone.getByText('password: must be at least 10 characters').waitFor();
      await phone.getByLabel('New password').fill('my brand new password');
      await phone.getByRole('button', { name: 'Set password and sign in' }).click();
      await phone.getByRole('heading', { name: 'Events' }).waitFor();
      // The session from before the reset ended; the link is spent and says so.
      expect((await member.call('/api/v1/events')).status).toBe(401);
      await phone.goto(link.replace(/^http:\/\/[^/]+/, server.url));
      await phone.getByTestId('link-unusable').getByText('already used').waitFor();

      // An admin hands out a link from the Members page.
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Members' }).click();
      await page
        .getByRole('row', { name: /mo@example\.com/ })
        .getByRole('button', { name: 'Reset link' })
        .click();
      const handed = await page.getByTestId('reset-link').textContent();
      expect(handed).toMatch(/\/reset-password#[A-Za-z0-9_-]{20,}$/);

      // Deleting an event from its page, after a confirmation.
      const key = await server.key('READ_WRITE');
      const sent = await server.api('/api/v1/events', {
        method: 'POST',
        key,
        body: JSON.stringify(sampleEvent({ id: 'by-mistake', data: { description: 'Sent by mistake' } })),
      });
      expect(sent.status).toBe(201);
      await page.goto(`${server.url}/events/by-mistake`);
      await page.getByRole('heading', { name: 'Delete' }).waitFor();
      await expectAccessible(page);
      await page.getByRole('button', { name: 'Delete event' }).click();
      await page.getByRole('button', { name: 'Yes, delete event' }).click();
      await page.getByRole('heading', { name: 'Events' }).waitFor();
      expect((await server.api('/api/v1/events/by-mistake', { key })).status).toBe(404);

      // The audit log names it all.
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Audit log' }).click();
      await page.getByTestId('audit-table').waitFor();
      const rows = await page.getByTestId('audit-row').allTextContents();
      expect(rows[0]).toMatch(
        /owner@example\.com.*event\.deleted.*by-mistake|owner@example\.com.*event\.deleted/,
      );
      expect(rows.join('\n')).toMatch(/password\.reset-link-created/);
      expect(rows.join('\n')).toMatch(/mo@example\.com.*password\.reset/);
      expect(rows.join('\n')).toMatch(/invite\.used/);
      await expectAccessible(page);
      await screenshot(page, `settings-audit-${engine}`);
    },
    BROWSER_TEST_MS,
  );

  it(
    'a used invite link says so and offers sign-in; the OWNER deletes the organization by typing its name and starts afresh',
    async () => {
      const ownerApi = await login(server, OWNER.email, OWNER.password);
      const { token } = await ownerApi.json<{ token: string }>('/api/v1/invites', {
        method: 'POST',
        body: { role: 'MEMBER' },
      });
      const accepted = await server.api('/api/v1/invites/accept', {
        method: 'POST',
        body: JSON.stringify({
          token,
          email: 'joined@example.com',
          name: 'Jo',
          password: 'long enough password',
        }),
      });
      expect(accepted.status).toBe(201);
      const visitor = await (await browser.user()).page();
      await visitor.goto(`${server.url}/invite#${token}`);
      await visitor.getByRole('heading', { name: 'This invite link cannot be used' }).waitFor();
      await visitor.getByText('this invite link was already used; if you joined with it, sign in').waitFor();
      expect(await visitor.getByText('One moment…').count()).toBe(0);
      await expectAccessible(visitor);
      await screenshot(visitor, `invite-used-${engine}`);
      await visitor.getByRole('link', { name: 'Sign in' }).click();
      await visitor.getByRole('button', { name: 'Sign in' }).waitFor();
      await visitor.goto(`${server.url}/invite#not-a-real-token`);
      await visitor.getByText('this invite link is not valid').waitFor();

      const page = await (await browser.user()).page();
      await page.goto(`${server.url}/settings/account`);
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Account', exact: true }).waitFor();
      await expectAccessible(page);
      // The last OWNER of a team cannot delete the account; the server says what to do.
      await page.getByLabel('Type your email to confirm').fill(OWNER.email);
      await page.getByRole('button', { name: 'Delete my account' }).click();
      await page.getByText(/you are the last OWNER of "Acme Ops"/).waitFor();
      const orgName = page.getByLabel("Type the organization's name to confirm");
      const remove = page.getByRole('button', { name: 'Delete organization' });
      await orgName.fill('Acme');
      expect(await remove.isDisabled()).toBe(true);
      await orgName.fill('Acme Ops');
      await remove.click();
      // The only organization went: the account is OWNER of a new, empty default one.
      await page.getByRole('heading', { name: 'Events' }).waitFor();
      expect(await server.store.organizations.byId(server.defaultOrg.id)).toBeNull();
      const fresh = await server.store.organizations.bySlug('default');
      expect(fresh?.name).toBe('Default organization');
      expect((await server.store.db.selectFrom('events').select('id').execute()).length).toBe(0);
      const key = await server.store.db
        .selectFrom('api_keys')
        .select('id')
        .where('org_id', '=', server.defaultOrg.id)
        .execute();
      expect(key).toEqual([]);
    },
    BROWSER_TEST_MS,
  );
});
