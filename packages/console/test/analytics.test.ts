/**
 * Settings → Analytics in Chromium against a real server and a real Prometheus (Debian's, loaded
 * with known history): an admin adds the Prometheus (the token comes back masked), tests it, maps
 * a metric and previews its series (the planted points); a query Prometheus refuses shows its
 * answer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openMetrics, type PrometheusFixture, startPrometheus } from '../../../test-support/prometheus.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { BROWSER_TEST_MS, type Browser, launch, screenshot, setupInBrowser } from './browser.js';

const MINUTE = 60_000;
/** Two hours of points every minute up to now: what the preview (last 2 hours) shows. */
const END = Math.floor(Date.now() / MINUTE) * MINUTE;

describe('console: analytics settings', () => {
  let server: TestServer;
  let browser: Browser;
  let prometheus: PrometheusFixture;
  beforeAll(async () => {
    const samples = Array.from({ length: 180 }, (_, i) => ({
      labels: { env: 'prod' },
      time: END - (179 - i) * MINUTE,
      value: 40 + (i % 5),
    }));
    prometheus = await startPrometheus(openMetrics('http_errors', samples));
    server = await startTestServer('sqlite', { OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await prometheus?.close();
  });

  it(
    'adds and tests a Prometheus, maps a metric and previews its series',
    async () => {
      const page = await (await browser.user()).page();
      await setupInBrowser(page, server.url);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Analytics' }).click();
      await page.getByRole('heading', { name: 'Analytics' }).waitFor();

      await page.getByLabel('Integration name').fill('Local Prometheus');
      await page.getByLabel('Prometheus URL').fill(prometheus.url);
      await page.getByLabel('Bearer token (optional)').fill('token-for-prometheus-wxyz');
      await page.getByRole('button', { name: 'Add integration' }).click();
      const row = page.getByTestId('integration-row').filter({ hasText: 'Local Prometheus' });
      await row.waitFor();
      expect(await row.textContent()).toContain('bearerToken: ••••wxyz');
      expect(await row.textContent()).not.toContain('token-for');

      await row.getByRole('button', { name: 'Test' }).click();
      await expect
        .poll(() => page.getByTestId('integration-test').textContent())
        .toMatch(/^Test ok: .*vector\(1\)/);

      await page.getByLabel('Metric').fill('error_rate');
      await page.getByLabel('Query ($subject and $source are replaced)').fill('http_errors{env="$subject"}');
      await page.getByLabel('Subjects (comma-separated, * for all)').fill('PRODUCTION');
      await page.getByLabel('Subject values (optional)').fill('PRODUCTION=prod');
      await page.getByRole('button', { name: 'Add mapping' }).click();
      const mapping = page.getByTestId('mapping-row').filter({ hasText: 'error_rate' });
      await mapping.waitFor();
      expect(await mapping.textContent()).toContain('PRODUCTION (prod)');

      await mapping.getByRole('button', { name: 'Preview' }).click();
      await page.getByRole('button', { name: 'Show last 2 hours' }).click();
      const summary = page.getByTestId('preview-summary');
      await summary.waitFor();
      expect(await summary.textContent()).toMatch(/^\d+ points at 1m, from 40 to 44, last 4\d$/);
      const count = Number((await summary.textContent())?.split(' ')[0]);
      expect(count).toBeGreaterThanOrEqual(119);
      expect(count).toBeLessThanOrEqual(120);
      await page.getByRole('img', { name: 'series preview' }).waitFor();
      await screenshot(page, 'settings-analytics');

      // A query Prometheus refuses: its answer is shown where the preview would be.
      await page.getByLabel('Metric').fill('broken');
      await page.getByLabel('Query ($subject and $source are replaced)').fill('rate(http_errors');
      await page.getByLabel('Subjects (comma-separated, * for all)').fill('*');
      await page.getByRole('button', { name: 'Add mapping' }).click();
      const broken = page.getByTestId('mapping-row').filter({ hasText: 'broken' });
      await broken.waitFor();
      await broken.getByRole('button', { name: 'Preview' }).click();
      await page.getByLabel('Subject', { exact: true }).fill('PRODUCTION');
      await page.getByRole('button', { name: 'Show last 2 hours' }).click();
      await page.getByText(/Prometheus answered 400: bad_data/).waitFor();
    },
    BROWSER_TEST_MS,
  );
});
