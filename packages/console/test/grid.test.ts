/** The grid: one cell per source x subject with its latest event, drift between environments marked, updated live. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import {
  BROWSER_TEST_MS,
  type Browser,
  horizontalOverflow,
  launch,
  PHONE,
  sampleEvent,
  screenshot,
  setupInBrowser,
} from './browser.js';

describe.each(ENGINES)('console: grid (%s)', (engine) => {
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
    'marks a source whose environments run different versions by kind, and follows new events',
    async () => {
      const user = await browser.user();
      const page = await user.page();
      await setupInBrowser(page, server.url);
      const key = await server.key('READ_WRITE');
      const send = async (event: Record<string, unknown>) =>
        expect(
          (
            await server.api('/api/v1/events', {
              method: 'POST',
              key,
              body: JSON.stringify(sampleEvent(event)),
            })
          ).status,
        ).toBe(201);
      await send({ source: 'BE', subject: 'STAGING', version: 'v2.5.0', severity: 'LOW' });
      await send({ source: 'BE', subject: 'PRODUCTION', version: 'v2.4.1' });
      await send({ source: 'FE', subject: 'PRODUCTION', version: 'v7', type: 'release', severity: 'MINOR' });
      await send({ source: 'FE', subject: 'STAGING', version: 'v7', type: 'release', severity: 'MINOR' });

      await page.goto(`${server.url}/grid`);
      const cells = page.locator('a.cell');
      await expect.poll(() => cells.count()).toBe(4);
      // Staging ahead of production is the normal state between releases: marked as waiting, not as a fault.
      const drifted = page.locator('a.cell.drifted');
      expect(await drifted.count()).toBe(1);
      expect(await drifted.allTextContents()).toEqual([expect.stringContaining('v2.5.0')]);
      expect(await page.locator('a.cell.drift-ahead').count()).toBe(1);
      expect(await page.getByTestId('drift-summary').textContent()).toContain('BE: STAGING runs v2.5.0');

      // Production catches up: the drift mark goes away without a reload.
      await send({ source: 'BE', subject: 'PRODUCTION', version: 'v2.5.0', type: 'deployment' });
      await expect.poll(() => drifted.count()).toBe(0);
      await screenshot(page, `grid-${engine}`);

      const phone = await user.page(PHONE);
      await phone.goto(`${server.url}/grid`);
      await expect.poll(() => phone.locator('a.cell').count()).toBe(4);
      // A wide grid scrolls inside its own box; the page itself never scrolls sideways.
      expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
      await screenshot(phone, `grid-phone-${engine}`);
    },
    BROWSER_TEST_MS,
  );
});
