/**
 * The DORA page in Chromium, on the crafted timeline of dora-method.md moved to end an hour ago:
 * the five figures with band and trend, a chart per metric, a click from "change failure rate"
 * to its failed deployments and why each counts, and the owner widening the failure window; a
 * list longer than the answer carries, loaded a page at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { TIMELINE, TO } from '../../server/test/dora-timeline.js';
import {
  BROWSER_TEST_MS,
  type Browser,
  horizontalOverflow,
  launch,
  PHONE,
  screenshot,
  setupInBrowser,
} from './browser.js';

describe.each(ENGINES)('console: DORA (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launch();
    // The last 30 days, as the page asks by default, hold the timeline's range exactly.
    const shift = Date.now() - 3_600_000 - Date.parse(TO);
    const moved = TIMELINE.map((e) => {
      const data = (e.data ?? {}) as Record<string, unknown>;
      const at = (iso: string) => new Date(Date.parse(iso) + shift).toISOString();
      const commits = Array.isArray(data.commits)
        ? (data.commits as { time: string }[]).map((c) => ({ ...c, time: at(c.time) }))
        : undefined;
      return {
        ...e,
        time: at(e.time),
        data: {
          ...data,
          ...(commits ? { commits } : {}),
          ...(typeof data.commitTime === 'string' ? { commitTime: at(data.commitTime) } : {}),
        },
      };
    });
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key: await server.key('READ_WRITE'),
      body: JSON.stringify(moved),
    });
    expect(res.status).toBe(200);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'shows the five figures, lists the failed deployments behind the rate, and follows the failure window',
    async () => {
      const user = await browser.user();
      const page = await user.page();
      await setupInBrowser(page, server.url);
      await page.getByRole('link', { name: 'DORA' }).click();
      const failure = page.getByTestId('dora-failure');
      await expect.poll(() => failure.textContent()).toContain('4 of 10 failed');
      expect(await failure.textContent()).toMatch(/Change failure rate40%.*low.*0% before/);
      expect(await page.getByTestId('dora-frequency').textContent()).toMatch(
        /0\.3333\/day.*10 deployments.*high/,
      );
      expect(await page.getByTestId('dora-lead').textContent()).toMatch(
        /14 h.*median of 6, 4 unknown.*elite/,
      );
      expect(await page.getByTestId('dora-restore').textContent()).toMatch(
        /2\.5 h.*median of 4 restores.*high/,
      );
      expect(await page.getByTestId('dora-rework').textContent()).toMatch(
        /20%.*2 of 10 were unplanned fixes/,
      );
      expect(await page.locator('.dora-chart canvas').count()).toBe(5);

      await failure.click();
      const rows = page.getByTestId('dora-row');
      await expect.poll(() => rows.count()).toBe(4);
      expect(await page.getByTestId('dora-drilldown').locator('h2').textContent()).toBe(
        '4 failed deployments out of 10',
      );
      const texts = await rows.allTextContents();
      expect(await rows.locator('td:nth-child(2) code').allTextContents()).toEqual(['d2', 'd3', 'd5', 'd8']);
      expect(texts[0]).toContain('incident inc1 names it in causationid');
      expect(texts[3]).toContain('window (weaker)');
      expect(page.url()).toContain('show=failure');
      await screenshot(page, `dora-${engine}`);

      await page.locator('input[name="failure-window"]').fill('12h');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => failure.textContent()).toContain('5 of 10 failed');
      await expect.poll(() => rows.count()).toBe(5);

      const phone = await user.page(PHONE);
      await phone.goto(`${server.url}/dora`);
      await expect.poll(() => phone.getByTestId('dora-failure').textContent()).toContain('5 of 10 failed');
      expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
      await screenshot(phone, `dora-phone-${engine}`);
    },
    BROWSER_TEST_MS,
  );

  it(
    'makes an ADMIN key in the key dialog: it may change the failure window, a READ_WRITE key may not',
    async () => {
      const page = await (await browser.user()).page();
      await page.goto(`${server.url}/settings/keys`);
      await page.getByLabel('Email').fill('owner@example.com');
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.locator('input[name="key-name"]').fill('terraform');
      await page.locator('select[name="key-scope"]').selectOption('ADMIN');
      await page.getByRole('button', { name: 'Create key' }).click();
      const key = (await page.getByTestId('new-key').textContent()) as string;
      expect(key).toMatch(/^ot_/);
      await expect
        .poll(() => page.getByTestId('key-row').allTextContents())
        .toContainEqual(expect.stringContaining('ADMIN'));
      const patch = (k: string) =>
        server.api('/api/v1/dora/settings', {
          method: 'PATCH',
          key: k,
          body: JSON.stringify({ failureWindow: '2h' }),
        });
      expect((await patch(await server.key('READ_WRITE'))).status).toBe(403);
      expect((await patch(key)).status).toBe(200);
    },
    BROWSER_TEST_MS,
  );

  it(
    'loads the deployments past the first 50 a page at a time',
    async () => {
      // 70 more production deployments, a minute apart, 25 days ago: 80 in the range.
      const start = Date.now() - 25 * 86_400_000;
      const more = Array.from({ length: 70 }, (_, i) => ({
        specversion: '1.0',
        id: `more-${i}`,
        type: 'deployment',
        source: 'BE',
        subject: 'PRODUCTION',
        version: `M${i}`,
        time: new Date(start + i * 60_000).toISOString(),
      }));
      const res = await server.api('/api/v1/events', {
        method: 'POST',
        key: await server.key('READ_WRITE'),
        body: JSON.stringify(more),
      });
      expect(res.status).toBe(200);
      const page = await (await browser.user()).page();
      await page.goto(`${server.url}/dora?show=frequency`);
      await page.getByLabel('Email').fill('owner@example.com');
      await page.getByLabel('Password').fill('correct horse battery');
      await page.getByRole('button', { name: 'Sign in' }).click();
      const rows = page.getByTestId('dora-row');
      await expect.poll(() => page.getByTestId('dora-frequency').textContent()).toContain('80 deployments');
      await expect.poll(() => rows.count()).toBe(50);
      expect(await page.getByTestId('dora-shown').textContent()).toBe('50 of 80 shown');
      await page.getByTestId('dora-more').click();
      await expect.poll(() => rows.count()).toBe(80);
      const ids = await rows.locator('td:nth-child(2) code').allTextContents();
      expect(new Set(ids).size).toBe(80);
      expect(ids.filter((id) => id.startsWith('more-'))).toEqual(more.map((e) => e.id));
      expect(await page.getByTestId('dora-more').count()).toBe(0);
    },
    BROWSER_TEST_MS,
  );
});
