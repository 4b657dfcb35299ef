/** Nothing from an event is ever rendered as HTML: markup in any field shows as text and never runs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { BROWSER_TEST_MS, type Browser, launch, PHONE, screenshot, setupInBrowser } from './browser.js';

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '<img src=x onerror=window.__xss=1>';

describe.each(ENGINES)('console: hostile event fields (%s)', (engine) => {
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
    'shows <script> and onerror= as text in the feed, the payload and the grid',
    async () => {
      const user = await browser.user();
      const page = await user.page();
      await setupInBrowser(page, server.url);
      const key = await server.key('READ_WRITE');
      const event = {
        specversion: '1.0',
        type: IMG,
        source: SCRIPT,
        subject: '"><svg onload=window.__xss=1>',
        version: IMG,
        severity: 'CRITICAL',
        time: 'NOW',
        data: { description: `${SCRIPT}${IMG}`, html: '<iframe src="javascript:window.__xss=1"></iframe>' },
      };
      expect(
        (await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(event) })).status,
      ).toBe(201);

      const row = page.getByTestId('event-row');
      await expect.poll(() => row.textContent()).toContain(SCRIPT);
      expect(await row.textContent()).toContain(IMG);
      await row.getByRole('link').click();
      expect(await page.getByTestId('event-json').textContent()).toContain(
        '<iframe src=\\"javascript:window.__xss=1\\"></iframe>',
      );
      await screenshot(page, `xss-feed-${engine}`);

      await page.getByRole('link', { name: 'Grid' }).click();
      await expect.poll(() => page.getByTestId('grid-cell-type').textContent()).toBe(IMG);
      await screenshot(page, `xss-grid-${engine}`);

      const phone = await user.page(PHONE);
      await phone.goto(`${server.url}/events`);
      await expect.poll(() => phone.getByTestId('event-row').textContent()).toContain(SCRIPT);
      await screenshot(phone, `xss-feed-phone-${engine}`);

      for (const p of [page, phone]) {
        expect(await p.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
        expect(await p.locator('main img, main svg, main iframe, main script').count()).toBe(0);
      }
    },
    BROWSER_TEST_MS,
  );
});
