/**
 * Impact in the console (Chromium): an event's page charts each metric of its subject across
 * both windows with the event and the settle interval marked, with the verdict and its reason;
 * the Regressions page lists the deploy once the impact job has judged it. Points are pushed
 * through the webhook around a deploy three hours ago, so the after-window has passed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepSeries } from '../../../test-support/step-series.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { loadConfig } from '../../server/src/config.js';
import { fillInVerdicts } from '../../server/src/impact/fill-in.js';
import {
  BROWSER_TEST_MS,
  type Browser,
  horizontalOverflow,
  launch,
  PHONE,
  screenshot,
  setupInBrowser,
} from './browser.js';

const MIN = 60_000;
const T = Math.floor((Date.now() - 3 * 3_600_000) / MIN) * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

describe.each(ENGINES)('console: impact (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let eventId: string;
  beforeAll(async () => {
    server = await startTestServer(engine);
    browser = await launch();
    const key = await server.key('READ_WRITE');
    const points = [
      ...stepSeries({ metric: 'error_rate', subject: 'PRODUCTION', at: T, before: 0.12, after: 2.41 }),
      ...stepSeries({ metric: 'throughput', subject: 'PRODUCTION', at: T, before: 1200, after: 1200 }),
    ];
    await server.api('/api/v1/metrics/webhook', { method: 'POST', key, body: JSON.stringify(points) });
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify({
        specversion: '1.0',
        type: 'deployment',
        source: '//github.com/acme/api',
        subject: 'PRODUCTION',
        version: 'v2.4.1',
        time: iso(T),
      }),
    });
    eventId = ((await res.json()) as { data: { id: string } }).data.id;
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'charts each metric around the event with its verdict, and lists the regression once judged',
    async () => {
      const user = await browser.user();
      const page = await user.page();
      await setupInBrowser(page, server.url);
      await page.goto(
        `${server.url}/events/${eventId}?source=${encodeURIComponent('//github.com/acme/api')}`,
      );
      const summary = page.getByTestId('impact-summary');
      await expect.poll(() => summary.getAttribute('data-verdict'), { timeout: 20_000 }).toBe('regressed');
      expect(await summary.textContent()).toMatch(
        /^Regressed in the 2 hours after the deploy: error_rate regressed/,
      );
      const metrics = page.getByTestId('impact-metric');
      expect(await metrics.count()).toBe(2);
      const rate = metrics.filter({ hasText: 'error_rate' });
      expect(await rate.getAttribute('data-verdict')).toBe('regressed');
      expect(await rate.textContent()).toContain('error_rate rose from 0.12 to 2.4');
      expect(await metrics.filter({ hasText: 'throughput' }).getAttribute('data-verdict')).toBe(
        'no_significant_change',
      );
      // Both windows at 1 minute (245 steps), the event line and a 5-minute settle band on each chart.
      const chart = rate.getByTestId('impact-chart');
      await expect.poll(() => chart.getAttribute('data-points')).toBe('245');
      expect(await chart.getAttribute('aria-label')).toContain(`the event at ${iso(T)}, 5 minutes to settle`);
      expect(await page.getByTestId('impact-event-line').count()).toBe(2);
      const band = rate.getByTestId('impact-settle');
      // 5 of the 245 minutes drawn across 400 units.
      expect(Number(await band.getAttribute('width'))).toBeCloseTo((5 / 245) * 400, 1);
      await screenshot(page, `impact-event-${engine}`);

      await fillInVerdicts(
        // The test server's type comes from the built package; the store is the same object.
        server.store as unknown as Parameters<typeof fillInVerdicts>[0],
        loadConfig(
          { OPSTRAILS_LOG_LEVEL: 'silent' },
          { dataDir: server.dataDir, host: '127.0.0.1', port: 0 },
        ),
      );
      await page.getByRole('link', { name: 'Regressions' }).click();
      const rows = page.getByTestId('regression');
      await expect.poll(() => rows.count()).toBe(1);
      expect(await rows.first().textContent()).toContain(
        'deployment · //github.com/acme/api v2.4.1 → PRODUCTION',
      );
      expect(await rows.first().textContent()).toContain('error_rate rose from 0.12 to 2.4');
      const phone = await user.page(PHONE);
      await phone.goto(`${server.url}/regressions`);
      await expect.poll(() => phone.getByTestId('regression').count()).toBe(1);
      expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
      await screenshot(phone, `regressions-phone-${engine}`);
    },
    BROWSER_TEST_MS,
  );
});
