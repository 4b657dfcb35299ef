/**
 * Settings → Sources in Chromium against a real server: an admin creates a GitHub source, copies
 * the URL and the secret shown once; a GitHub release signed with that secret lands on the
 * timeline; rotating makes the old secret fail; deleting closes the address.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { BROWSER_TEST_MS, type Browser, launch, screenshot, setupInBrowser } from './browser.js';

const RELEASE = readFileSync(
  join(
    import.meta.dirname,
    '..',
    '..',
    'server',
    'test',
    'fixtures',
    'receivers',
    'github',
    'release-published.json',
  ),
  'utf8',
);

describe('console: sources settings', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const deliver = (url: string, secret: string, delivery: string) =>
    fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'release',
        'x-github-delivery': delivery,
        'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(RELEASE).digest('hex')}`,
      },
      body: RELEASE,
    });

  it(
    'creates a source, shows its URL and secret once, rotates and deletes it',
    async () => {
      const page = await (await browser.user()).page();
      await setupInBrowser(page, server.url);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Sources' }).click();
      await page.getByRole('heading', { name: 'Sources' }).waitFor();

      await page.locator('select[name="receiver-kind"]').selectOption('github');
      await page.getByLabel('Name', { exact: true }).fill('Acme GitHub');
      await page.getByLabel('Environment when the tool names none').fill('PRODUCTION');
      await page.getByRole('button', { name: 'Create source' }).click();
      const shownUrl = (await page.getByTestId('receiver-url').textContent()) ?? '';
      // The URL is OPSTRAILS_PUBLIC_URL's; the test server listens on a port chosen at start.
      const url = `${server.url}${new URL(shownUrl).pathname}`;
      const secret = (await page.getByTestId('receiver-secret').textContent()) ?? '';
      expect(shownUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1\/receivers\/github\/rcv_[\w-]{22}$/);
      expect(secret).toHaveLength(43);
      const row = page.getByTestId('receiver-row').filter({ hasText: 'Acme GitHub' });
      await row.waitFor();
      expect(await row.textContent()).toContain('PRODUCTION');
      expect(await row.textContent()).not.toContain(secret);
      await screenshot(page, 'settings-sources');

      expect((await deliver(url, secret, 'console-1')).status).toBe(202);
      await page.getByRole('link', { name: 'Events' }).first().click();
      await page.getByText('Codertocat/Hello-World').first().waitFor();

      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Sources' }).click();
      await row.getByRole('button', { name: 'Rotate secret' }).click();
      await row.getByRole('button', { name: 'Yes, rotate secret' }).click();
      await expect.poll(() => page.getByTestId('receiver-secret').textContent()).not.toBe(secret);
      const rotated = (await page.getByTestId('receiver-secret').textContent()) ?? '';
      expect((await deliver(url, secret, 'console-2')).status).toBe(401);
      expect((await deliver(url, rotated, 'console-2')).status).toBe(202);

      await row.getByRole('button', { name: 'Delete' }).click();
      await row.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByText('No sources yet.').waitFor();
      expect((await deliver(url, rotated, 'console-3')).status).toBe(404);
    },
    BROWSER_TEST_MS,
  );
});
