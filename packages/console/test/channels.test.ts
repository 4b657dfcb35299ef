/**
 * Settings → Channels in Chromium against a real server and a local Slack stand-in: an admin
 * adds a Slack channel (the webhook URL comes back masked), sends a test (the service's answer is
 * shown), adds a forwarding rule, sees a forwarded event in the delivery log, disables and deletes
 * the channel (its rule goes with it); an http webhook
 * URL is warned about.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeSlack } from '../../../test-support/fake-slack.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { BROWSER_TEST_MS, type Browser, launch, screenshot, setupInBrowser } from './browser.js';

describe.each(ENGINES)('console: channels (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let slack: Awaited<ReturnType<typeof startFakeSlack>>;
  beforeAll(async () => {
    slack = await startFakeSlack();
    server = await startTestServer(
      engine,
      { OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' },
      {
        consumerOptions: { pollMs: 200 },
        outboxOptions: { pollMs: 200 },
      },
    );
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await slack?.close();
  });

  it(
    'adds, tests, logs, disables and deletes a Slack channel',
    async () => {
      const page = await (await browser.user()).page();
      await setupInBrowser(page, server.url);
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('link', { name: 'Channels' }).click();
      await page.getByRole('heading', { name: 'Channels' }).waitFor();

      await page.getByLabel('Type').selectOption('webhook');
      await page.getByLabel('URL').fill('http://hooks.example.com/x');
      await page.getByText('messages travel unencrypted').waitFor();

      await page.getByLabel('Type').selectOption('slack');
      await page.getByLabel('Name').fill('Ops Slack');
      await page.getByLabel('Incoming webhook URL').fill(slack.webhookUrl);
      await page.getByRole('button', { name: 'Add channel' }).click();
      const row = page.getByTestId('channel-row').filter({ hasText: 'Ops Slack' });
      await row.waitFor();
      expect(await row.textContent()).toContain('webhookUrl: ••••XXXX');
      expect(await row.textContent()).not.toContain('/services/');

      await row.getByRole('button', { name: 'Send test' }).click();
      await expect
        .poll(() => page.getByTestId('test-result').textContent())
        .toContain('Test delivered: 200 ok');
      expect(slack.accepted).toHaveLength(1);

      await page.getByLabel('Rule name').fill('All deploys');
      await page.getByLabel('Types').fill('deployment');
      await page.getByRole('button', { name: 'Add rule' }).click();
      const rule = page.getByTestId('rule-row').filter({ hasText: 'All deploys' });
      await rule.waitFor();
      expect(await rule.textContent()).toContain('Ops Slack');
      expect(await rule.textContent()).toContain('types deployment · sources any');
      await server.api('/api/v1/events', {
        method: 'POST',
        key: await server.key(),
        body: JSON.stringify({
          specversion: '1.0',
          type: 'deployment',
          source: 'BE',
          subject: 'PRODUCTION',
          time: 'NOW',
        }),
      });
      await expect.poll(() => slack.accepted.length, { timeout: 15_000 }).toBe(2);
      await row.getByRole('button', { name: 'Delivery log' }).click();
      const log = page.getByTestId('delivery-row').first();
      await expect.poll(() => log.textContent()).toContain('event.forwarded');
      expect(await log.textContent()).toContain('delivered');
      await screenshot(page, `settings-channels-${engine}`);

      await row.getByRole('button', { name: 'Disable' }).click();
      await expect.poll(() => row.textContent()).toContain('disabled');
      await row.getByRole('button', { name: 'Delete' }).click();
      await page.getByRole('button', { name: 'Yes, delete' }).click();
      await expect.poll(() => page.getByTestId('channel-row').count()).toBe(0);
      await page.getByText('No channels yet.').waitFor();
      await page.getByText('No forwarding rules.').waitFor();
    },
    BROWSER_TEST_MS,
  );
});
