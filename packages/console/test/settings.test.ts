/** Settings pages against a real server: the business context editor saves per organization; usage shows the plan's limits. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { BROWSER_TEST_MS, type Browser, launch, PHONE, screenshot, setupInBrowser } from './browser.js';

describe.each(ENGINES)('console: settings (%s)', (engine) => {
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
    'edits the business context starting from the template, and shows usage against the plan',
    async () => {
      const page = await (await browser.user()).page();
      await setupInBrowser(page, server.url);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Business context' }).click();
      const editor = page.getByLabel('Business context');
      await expect.poll(() => editor.inputValue()).toContain('TEMPLATE');
      const template = await editor.inputValue();
      const save = page.getByRole('button', { name: 'Save' });
      // The template unedited cannot be saved; any change enables Save, undoing it disables it again.
      expect(await save.isDisabled()).toBe(true);
      await editor.fill(`${template} edited`);
      expect(await save.isEnabled()).toBe(true);
      await editor.fill(template);
      expect(await save.isDisabled()).toBe(true);
      await editor.fill('We run ShopMax. BE and DB deploys are coupled. <b>not html</b>');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect.poll(() => page.getByTestId('context-saved').textContent()).toContain('Saved');
      await page.reload();
      await expect
        .poll(() => editor.inputValue())
        .toBe('We run ShopMax. BE and DB deploys are coupled. <b>not html</b>');
      const key = await server.key('READ_ONLY');
      const viaKey = (await (await server.api('/api/v1/context', { key })).json()) as {
        data: { context: string };
      };
      expect(viaKey.data.context).toContain('BE and DB deploys are coupled');
      await screenshot(page, `settings-context-${engine}`);

      await server.store.organizations.setPlan(server.defaultOrg.id, 'free');
      const phone = await (await browser.user()).page(PHONE);
      await phone.goto(`${server.url}/settings/usage`);
      await phone.getByLabel('Email').fill('owner@example.com');
      await phone.getByLabel('Password').fill('correct horse battery');
      await phone.getByRole('button', { name: 'Sign in' }).click();
      await phone.getByRole('heading', { name: 'Usage' }).waitFor();
      expect(await phone.getByTestId('meter-Events this month').textContent()).toContain('of 1,000');
      expect(await phone.getByTestId('meter-MCP calls this month').textContent()).toContain('of 100');
      expect(await phone.getByText('Retention').textContent()).toContain('7 days');
      await screenshot(phone, `settings-usage-phone-${engine}`);
    },
    BROWSER_TEST_MS,
  );
});
