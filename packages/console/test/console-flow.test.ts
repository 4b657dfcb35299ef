/**
 * The new user's path, in a real browser against a real server: setup, a key from the empty
 * state, an event sent over HTTP appears live, filters in the URL, the grid, revoking the key.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import {
  BROWSER_TEST_MS,
  type Browser,
  type BrowserUser,
  DESKTOP,
  horizontalOverflow,
  launch,
  PHONE,
  sampleEvent,
  screenshot,
  setupInBrowser,
} from './browser.js';

describe.each(ENGINES)('console: first run to live event (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let owner: BrowserUser;
  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launch();
    owner = await browser.user();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'sets up, shows the curl command, streams the event live, filters, grids, and revokes',
    async () => {
      const page = await owner.page(DESKTOP);
      await setupInBrowser(page, server.url);

      // The empty state offers a key and the curl command with this server's URL.
      await page.getByRole('button', { name: 'Create a key' }).click();
      const key = (await page.getByTestId('first-key').textContent()) ?? '';
      expect(key).toMatch(/^ot_/);
      const curl = await page.getByTestId('curl-command').textContent();
      expect(curl).toContain(`${server.url}/api/v1/events`);
      expect(curl).toContain(key);
      await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('live');
      await screenshot(page, `flow-empty-${engine}`);

      const sent = await server.api('/api/v1/events', {
        method: 'POST',
        key,
        body: JSON.stringify(sampleEvent({ correlationid: 'change-42' })),
      });
      expect(sent.status).toBe(201);
      const other = sampleEvent({
        source: 'FE',
        subject: 'STAGING',
        type: 'rollback',
        severity: 'LOW',
        version: 'v9',
      });
      expect(
        (await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(other) })).status,
      ).toBe(201);

      // Live, without a reload.
      const rows = page.getByTestId('event-row');
      await expect.poll(() => rows.count()).toBe(2);
      const be = rows.filter({ hasText: 'deployment' });
      await expect.poll(() => be.textContent()).toContain('MAJOR');
      await screenshot(page, `flow-feed-${engine}`);
      // A row opens the event's own page (its permalink) with every field.
      await be.getByRole('link').click();
      expect(await page.getByTestId('event-json').textContent()).toContain('"version": "v2.4.1"');
      // Its CloudEvents extension attributes are listed with the other fields.
      expect(await page.getByTestId('event-extension').textContent()).toBe('correlationidchange-42');
      await page.goBack();

      // A filter goes into the URL and narrows the feed.
      await page.getByLabel('Source').fill('BE');
      await page.getByLabel('Source').press('Enter');
      await expect.poll(() => new URL(page.url()).searchParams.get('source')).toBe('BE');
      await expect.poll(() => rows.count()).toBe(1);
      await page.reload();
      await expect.poll(() => rows.count()).toBe(1);
      expect(await page.getByLabel('Source').inputValue()).toBe('BE');

      // The grid shows the cell; it leads back to the feed filtered to it.
      await page.getByRole('link', { name: 'Grid' }).click();
      const cell = page.getByRole('link', { name: /deployment/ });
      await expect.poll(() => cell.textContent()).toContain('v2.4.1');
      expect(await cell.textContent()).toContain('MAJOR');
      await screenshot(page, `flow-grid-${engine}`);
      await cell.click();
      await expect.poll(() => new URL(page.url()).searchParams.get('subject')).toBe('PRODUCTION');
      await expect.poll(() => rows.count()).toBe(1);

      // Revoking the key in Settings makes it useless at once.
      await page.getByRole('link', { name: 'Settings' }).click();
      const keyRow = page.getByTestId('key-row').filter({ hasText: 'first key' });
      await expect.poll(() => keyRow.textContent()).toContain(key.slice(0, 10));
      await keyRow.getByRole('button', { name: 'Revoke' }).click();
      await keyRow.getByRole('button', { name: 'Yes, revoke' }).click();
      await expect.poll(() => page.getByTestId('key-row').count()).toBe(0);
      await screenshot(page, `flow-keys-${engine}`);
      expect((await server.api('/api/v1/events', { key })).status).toBe(401);
      await page.close();
    },
    BROWSER_TEST_MS,
  );

  it(
    'lays every page out without sideways scrolling at 1280x800 and 390x844',
    async () => {
      for (const [name, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const page = await owner.page(viewport);
        for (const path of [
          '/events',
          '/grid',
          '/timeline',
          '/settings/keys',
          '/settings/context',
          '/settings/members',
          '/settings/usage',
        ]) {
          await page.goto(`${server.url}${path}`);
          // Each page's own content has rendered: a heading in the main area.
          await page.locator('main h1, main h2').first().waitFor();
          expect(await horizontalOverflow(page), `${path} at ${name}`).toBeLessThanOrEqual(0);
          await screenshot(page, `layout-${name}${path.replaceAll('/', '-')}-${engine}`);
        }
        await page.close();
      }
    },
    BROWSER_TEST_MS,
  );
});
