/**
 * Settings → Guardrails in Chromium against a real server: an admin adds a freeze window (shown
 * active, on the calendar strip) and a daily-cap policy (its rule in plain words), edits and
 * deletes; a production deploy during the freeze carries a violation badge in the feed and the
 * grid; a member sees the guardrails without the forms.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { seriousViolations } from './axe.js';
import { BROWSER_TEST_MS, type Browser, launch, screenshot, setupInBrowser } from './browser.js';

/** A `datetime-local` value in this machine's zone (the browser's too). */
const localInput = (ms: number) => {
  const d = new Date(ms);
  return new Date(ms - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

describe.each(ENGINES)('console: guardrails (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  beforeAll(async () => {
    server = await startTestServer(engine, {}, { consumerOptions: { pollMs: 200 } });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'adds a freeze and a policy, badges the deploy that broke the freeze, edits and deletes',
    async () => {
      const page = await (await browser.user()).page();
      await setupInBrowser(page, server.url);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Guardrails' }).click();
      await page.getByRole('heading', { name: 'Guardrails' }).waitFor();

      const now = Date.now();
      const freezeForm = page.getByRole('form', { name: 'Freeze window' });
      await freezeForm.getByLabel('Name').fill('Holiday Freeze');
      await freezeForm.getByLabel('Starts').fill(localInput(now - 3_600_000));
      await freezeForm.getByLabel('Ends').fill(localInput(now + 2 * 86_400_000));
      await freezeForm.getByLabel('Subjects (empty: all)').fill('PRODUCTION');
      await freezeForm.getByRole('button', { name: 'Add window' }).click();
      const freezeRow = page.getByTestId('freeze-row').filter({ hasText: 'Holiday Freeze' });
      await freezeRow.waitFor();
      expect(await freezeRow.textContent()).toContain('active');
      expect(await freezeRow.textContent()).toContain('subjects PRODUCTION');
      expect(await page.getByTestId('strip-frozen').count()).toBeGreaterThanOrEqual(2);

      const policyForm = page.getByRole('form', { name: 'Deployment policy' });
      await policyForm.getByLabel('Name').fill('Five a day');
      await policyForm.getByLabel('Rule').selectOption('DAILY_CAP');
      await policyForm.getByLabel('At most per day').fill('5');
      await policyForm.getByLabel('Time zone').fill('Europe/Berlin');
      await policyForm.getByRole('button', { name: 'Add policy' }).click();
      const policyRow = page.getByTestId('policy-row').filter({ hasText: 'Five a day' });
      await policyRow.waitFor();
      expect(await policyRow.getByTestId('policy-summary').textContent()).toBe(
        'at most 5 deployments a day (Europe/Berlin days)',
      );

      // A bad value is the server's message, naming the field, in the banner and under the field
      // it names (marked invalid and described by it); nothing is added.
      await policyForm.getByLabel('Name').fill('Broken');
      await policyForm.getByLabel('Rule').selectOption('ALLOWED_HOURS');
      await policyForm.getByLabel('From hour (0-23)').fill('9');
      await policyForm.getByLabel('Until hour (0-23)').fill('9');
      await policyForm.getByLabel('Time zone').fill('UTC');
      await policyForm.getByRole('button', { name: 'Add policy' }).click();
      await page.getByRole('alert').getByText('config.endHour: equals startHour').waitFor();
      const until = policyForm.getByLabel('Until hour (0-23)');
      expect(await until.getAttribute('aria-invalid')).toBe('true');
      const problem = await until.evaluate(
        (el) =>
          (
            el as unknown as { ownerDocument: { getElementById(id: string): { textContent: string } | null } }
          ).ownerDocument.getElementById(el.getAttribute('aria-describedby') ?? '')?.textContent,
      );
      expect(problem).toMatch(/^config.endHour: equals startHour/);
      expect(await policyForm.getByLabel('From hour (0-23)').getAttribute('aria-invalid')).toBeNull();
      expect(await page.getByTestId('policy-row').count()).toBe(1);

      await policyRow.getByRole('button', { name: 'Edit' }).click();
      await policyForm.getByLabel('At most per day').fill('3');
      await policyForm.getByRole('button', { name: 'Save policy' }).click();
      await expect
        .poll(() => policyRow.getByTestId('policy-summary').textContent())
        .toBe('at most 3 deployments a day (Europe/Berlin days)');
      await screenshot(page, `guardrails-settings-${engine}`);

      const writer = await server.key('READ_WRITE');
      for (const [id, subject] of [
        ['frozen-deploy', 'PRODUCTION'],
        ['staging-deploy', 'STAGING'],
      ])
        await server.api('/api/v1/events', {
          method: 'POST',
          key: writer,
          body: JSON.stringify({
            specversion: '1.0',
            type: 'deployment',
            source: 'BE',
            subject,
            id,
            time: 'NOW',
          }),
        });

      await page.getByRole('link', { name: 'Events' }).click();
      const frozen = page.getByTestId('event-row').filter({ hasText: 'PRODUCTION' });
      await frozen.getByTestId('violation-badge').waitFor();
      expect(await frozen.getByTestId('violation-badge').textContent()).toContain('broke Holiday Freeze');
      expect(
        await page
          .getByTestId('event-row')
          .filter({ hasText: 'STAGING' })
          .getByTestId('violation-badge')
          .count(),
      ).toBe(0);

      // The event's page lists what it broke and why; the staging deploy's says it broke nothing.
      await page.goto(`${server.url}/events/frozen-deploy?source=BE`);
      const broke = page.locator('[data-slot="guardrails"]').getByTestId('violation-list');
      await expect.poll(() => broke.textContent()).toContain('freeze window Holiday Freeze: ');
      expect(await broke.locator('li').count()).toBe(1);
      expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
      await screenshot(page, `guardrails-event-${engine}`);
      await page.goto(`${server.url}/events/staging-deploy?source=BE`);
      await page
        .locator('[data-slot="guardrails"]')
        .getByText('This event broke no freeze window or deployment policy.')
        .waitFor();

      await page.getByRole('link', { name: 'Grid' }).click();
      await page.locator('table.grid').getByTestId('violation-badge').waitFor();
      expect(await page.locator('table.grid').getByTestId('violation-badge').count()).toBe(1);
      await screenshot(page, `guardrails-grid-${engine}`);

      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Guardrails' }).click();
      await expect.poll(() => freezeRow.textContent()).toContain('violated');
      await freezeRow.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      await expect.poll(() => page.getByTestId('freeze-row').count()).toBe(0);
    },
    BROWSER_TEST_MS,
  );
});
