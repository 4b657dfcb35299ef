/**
 * The top navigation on a 390x844 phone: the pages fold behind a Menu button (a disclosure with
 * aria-expanded), every page link shows whole inside the screen and leads to its page, the keyboard
 * opens and closes it (Escape returns focus to the button), nothing scrolls sideways, and axe finds
 * no serious violation open or closed. At 1280x800 the links show in the bar and the button hides.
 * One engine: the navigation is the browser's alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { seriousViolations } from './axe.js';
import {
  BROWSER_TEST_MS,
  type Browser,
  DESKTOP,
  horizontalOverflow,
  launch,
  PHONE,
  screenshot,
  setupInBrowser,
} from './browser.js';

describe('console: top navigation on a phone (sqlite)', () => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'reaches every page from the Menu button at 390x844, by pointer and keyboard, without clipping',
    async () => {
      const user = await browser.user();
      const setup = await user.page(DESKTOP);
      await setupInBrowser(setup, server.url);
      // At desktop width the links sit in the bar, the button is not shown.
      const nav = setup.getByRole('navigation', { name: 'Pages' });
      const labels = await nav.getByRole('link').allTextContents();
      expect(labels).toEqual(
        expect.arrayContaining(['Events', 'Grid', 'Timeline', 'Regressions', 'Settings']),
      );
      for (const label of labels) expect(await nav.getByRole('link', { name: label }).isVisible()).toBe(true);
      expect(await setup.getByRole('button', { name: 'Menu' }).isVisible()).toBe(false);
      await setup.close();

      const page = await user.page(PHONE);
      await page.goto(`${server.url}/events`);
      const menu = page.getByRole('button', { name: 'Menu' });
      await menu.waitFor();
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      const phoneNav = page.getByRole('navigation', { name: 'Pages' });
      expect(await phoneNav.isVisible()).toBe(false);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
      await screenshot(page, 'nav-phone-closed');

      for (const label of labels) {
        await menu.click();
        expect(await menu.getAttribute('aria-expanded')).toBe('true');
        // Every link whole inside the screen, not just the one about to be followed.
        for (const other of labels) {
          const box = await phoneNav.getByRole('link', { name: other }).boundingBox();
          expect(box, other).not.toBeNull();
          if (!box) continue;
          expect(box.x >= 0 && box.x + box.width <= PHONE.width, `${other} inside the width`).toBe(true);
          expect(box.y >= 0 && box.y + box.height <= PHONE.height, `${other} inside the height`).toBe(true);
        }
        expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
        if (label === labels[0]) {
          expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
          await screenshot(page, 'nav-phone-open');
        }
        const link = phoneNav.getByRole('link', { name: label });
        const href = (await link.getAttribute('href')) ?? '';
        await link.click();
        await expect.poll(() => new URL(page.url()).pathname).toBe(href.split('?')[0]);
        // Following a link closes the menu, the link of the page already shown too.
        await expect.poll(() => menu.getAttribute('aria-expanded')).toBe('false');
        await page.locator('main h1, main h2').first().waitFor();
        expect(await horizontalOverflow(page), `${label} page`).toBeLessThanOrEqual(0);
      }

      // The settings sections too are all in sight on the phone, none cut off at the edge.
      await page.goto(`${server.url}/settings/keys`);
      const sections = page.getByRole('navigation', { name: 'Settings' }).getByRole('link');
      await sections.first().waitFor();
      expect(await sections.count()).toBeGreaterThanOrEqual(8);
      for (const section of await sections.all()) {
        const box = await section.boundingBox();
        const label = (await section.textContent()) ?? '';
        expect(box !== null && box.x >= 0 && box.x + box.width <= PHONE.width, label).toBe(true);
      }
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, 'nav-phone-settings');

      // Keyboard only: Enter opens, Tab reaches the first page link, Escape closes and returns focus.
      await menu.focus();
      await page.keyboard.press('Enter');
      expect(await menu.getAttribute('aria-expanded')).toBe('true');
      await page.keyboard.press('Tab');
      expect(
        await page.evaluate(
          () =>
            (globalThis as unknown as { document: { activeElement: { textContent: string } } }).document
              .activeElement.textContent,
        ),
      ).toBe(labels[0]);
      await page.keyboard.press('Escape');
      expect(await menu.getAttribute('aria-expanded')).toBe('false');
      expect(
        await menu.evaluate(
          (el) =>
            el === (globalThis as unknown as { document: { activeElement: unknown } }).document.activeElement,
        ),
      ).toBe(true);
      await page.keyboard.press('Enter');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Enter');
      await expect.poll(() => new URL(page.url()).pathname).toBe('/events');
      await page.close();
    },
    BROWSER_TEST_MS,
  );
});
