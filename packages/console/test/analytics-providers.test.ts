/**
 * Settings → Analytics in Chromium: each SaaS provider shows the fields it needs with a link to
 * where each credential is found, and a Datadog added through the form (against a loopback
 * stand-in of its API) comes back with its keys masked and passes its test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDatadogMetrics } from '../../../test-support/fake-datadog-metrics.js';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { PROVIDER_FORMS } from '../src/pages/settings/analytics-providers.js';
import { BROWSER_TEST_MS, type Browser, launch, screenshot, setupInBrowser } from './browser.js';

describe('console: analytics providers', () => {
  let server: TestServer;
  let browser: Browser;
  let datadog: Awaited<ReturnType<typeof startFakeDatadogMetrics>>;
  beforeAll(async () => {
    datadog = await startFakeDatadogMetrics('dd-api-key-1234', 'dd-app-key-5678', []);
    server = await startTestServer('sqlite', { OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
    browser = await launch();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await datadog?.close();
  });

  it(
    'lists each provider with its fields and credential links, and adds and tests a Datadog',
    async () => {
      const page = await (await browser.user()).page();
      await setupInBrowser(page, server.url);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Analytics' }).click();
      await page.getByRole('heading', { name: 'Analytics' }).waitFor();

      for (const form of PROVIDER_FORMS) {
        await page.getByLabel('Provider').selectOption(form.provider);
        for (const field of form.fields) {
          await page.getByLabel(field.label, { exact: true }).waitFor();
          if (field.help)
            expect(await page.getByRole('link', { name: field.help.text }).getAttribute('href')).toBe(
              field.help.url,
            );
        }
      }

      await page.getByLabel('Provider').selectOption('datadog');
      await page.getByLabel('Integration name').fill('Datadog EU');
      await page.getByLabel('API key', { exact: true }).fill('dd-api-key-1234');
      await page.getByLabel('Application key (timeseries_query scope)').fill('dd-app-key-5678');
      await page.getByRole('button', { name: 'Add integration' }).click();
      const row = page.getByTestId('integration-row').filter({ hasText: 'Datadog EU' });
      await row.waitFor();
      expect(await row.textContent()).toContain('apiKey: ••••1234');
      expect(await row.textContent()).not.toContain('dd-app-key');

      // The form sent no apiBaseUrl, so point the integration at the stand-in over the API.
      const id = await page.evaluate(async () => {
        const res = await fetch('/api/v1/integrations', { credentials: 'include' });
        return ((await res.json()) as { data: { integrations: { id: string }[] } }).data.integrations[0]?.id;
      });
      const patched = await server.api(`/api/v1/integrations/${id}`, {
        method: 'PATCH',
        key: await server.key('ADMIN'),
        body: JSON.stringify({
          config: { site: 'datadoghq.com', apiKey: '••••1234', appKey: '••••5678', apiBaseUrl: datadog.base },
        }),
      });
      expect(patched.status).toBe(200);
      await page.reload();
      await row.getByRole('button', { name: 'Test' }).click();
      await expect
        .poll(() => page.getByTestId('integration-test').textContent())
        .toMatch(/^Test ok: Datadog at .* answered a metrics query with both keys/);
      expect(datadog.accepted[0]?.headers['dd-api-key']).toBe('dd-api-key-1234');
      await screenshot(page, 'analytics-providers');
    },
    BROWSER_TEST_MS,
  );
});
