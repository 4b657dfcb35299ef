/**
 * Settings → Health checks in Chromium against a real server and a loopback target that fails
 * and recovers on command: an admin adds a check (a server-side 400 shown at the field it names),
 * sees it up with its uptime and response times,
 * sees it go down with the reason, pauses, edits and deletes it; the page passes an axe scan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HealthTarget, startHealthTarget } from '../../../test-support/health-target.js';
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

describe('console: health checks settings', () => {
  let server: TestServer;
  let target: HealthTarget;
  let browser: Browser;
  beforeAll(async () => {
    target = await startHealthTarget();
    server = await startTestServer('sqlite', { OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await target?.close();
  });

  /** Runs the one check's next run at the time it is due, as the schedule would. */
  const runNext = async () => {
    const key = await server.key('READ_ONLY');
    for (;;) {
      const res = await server.api('/api/v1/checks', { key });
      const check = ((await res.json()) as { data: { checks: { nextRunAt: string }[] } }).data.checks[0];
      if (!check) throw new Error('no check to run');
      if ((await server.healthChecks.runDue(Date.parse(check.nextRunAt))) > 0) return;
    }
  };

  const uptime = async () => {
    const res = await server.api('/api/v1/checks', { key: await server.key('READ_ONLY') });
    return ((await res.json()) as { data: { checks: { uptime: { day: number; runs: { day: number } } }[] } })
      .data.checks[0]?.uptime as { day: number; runs: { day: number } };
  };

  it(
    'adds a check, shows it up then down with the reason, pauses, edits and deletes it',
    async () => {
      const page = await (await browser.user()).page();
      await setupInBrowser(page, server.url);
      const open = async () => {
        await page.getByRole('link', { name: 'Settings' }).click();
        await page.getByRole('link', { name: 'Sources' }).click();
        await page.getByRole('link', { name: 'Health checks' }).click();
        await page.getByRole('heading', { name: 'Health checks' }).waitFor();
      };
      await open();
      await page.getByLabel('Name').fill('Checkout API');
      await page.getByLabel('URL').fill(target.url);
      await page.getByLabel('Expected status (empty: any 2xx)').fill('200');
      await page.getByLabel('Expected body text').fill('ok');
      await page.getByLabel('Every (seconds)').fill('10');
      await page.getByLabel('Environment').fill('PRODUCTION');
      await page.getByLabel('System').fill('checkout');
      // A rule across fields only the server knows: its 400 shows at the field it names.
      await page.getByLabel('Timeout (seconds)').fill('30');
      await page.getByRole('button', { name: 'Add check' }).click();
      const problem = page.getByTestId('field-problem');
      await problem.waitFor();
      expect(await problem.textContent()).toMatch(/^timeoutSeconds: must be at most intervalSeconds \(10\)/);
      expect(await page.getByLabel('Timeout (seconds)').getAttribute('aria-invalid')).toBe('true');
      await page.getByLabel('Timeout (seconds)').fill('10');
      await page.getByRole('button', { name: 'Add check' }).click();
      const row = page.getByTestId('check-row').filter({ hasText: 'Checkout API' });
      await row.waitFor();

      await runNext();
      await open();
      await expect.poll(() => row.getByTestId('check-status').textContent()).toBe('up');
      expect(await row.getByTestId('check-uptime').textContent()).toBe('100% / 100%');
      // The schedule may have made the first run before the test did: count the runs the API has.
      const runs = (await uptime()).runs.day;
      expect(await row.getByTestId('check-spark').getAttribute('aria-label')).toMatch(
        new RegExp(`^Last ${runs} runs: mean \\d+ ms, 0 failed`),
      );

      target.fail();
      await runNext();
      await runNext();
      await open();
      await expect.poll(() => row.getByTestId('check-status').textContent()).toBe('down');
      expect(await row.textContent()).toContain('HTTP 503 (expected 200)');
      const { day, runs: after } = await uptime();
      expect(day).toBeCloseTo((after.day - 2) / after.day);
      const shown = `${(day * 100).toFixed(2)}%`;
      expect(await row.getByTestId('check-uptime').textContent()).toBe(`${shown} / ${shown}`);
      expect(await row.getByTestId('check-spark').getAttribute('aria-label')).toMatch(/2 failed/);
      expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
      await screenshot(page, 'settings-health-checks');
      await page.setViewportSize(PHONE);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      await screenshot(page, 'settings-health-checks-phone');
      await page.setViewportSize(DESKTOP);

      await row.getByRole('button', { name: 'Pause' }).click();
      await expect.poll(() => row.getByTestId('check-status').textContent()).toBe('paused');
      await row.getByRole('button', { name: 'Edit' }).click();
      await page.getByLabel('Name').fill('Checkout API v2');
      await page.getByRole('button', { name: 'Save check' }).click();
      const renamed = page.getByTestId('check-row').filter({ hasText: 'Checkout API v2' });
      await renamed.waitFor();
      expect(await renamed.getByTestId('check-status').textContent()).toBe('paused');

      await renamed.getByRole('button', { name: 'Delete' }).click();
      await renamed.getByRole('button', { name: 'Yes, delete' }).click();
      await page.getByText('No health checks yet.').waitFor();
    },
    BROWSER_TEST_MS,
  );
});
