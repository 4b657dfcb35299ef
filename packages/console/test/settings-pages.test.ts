/**
 * The settings pages built on the shared settings pieces (pages/settings/settings-table.tsx,
 * form.tsx, shown-once.tsx): keys, sources, channels with forwarding rules, analytics and
 * guardrails, each with rows in its lists, at 1280x800 and 390x844: no sideways scroll, every
 * row's buttons inside the screen on a phone (rows are cards there), and an axe scan with no
 * serious or critical violation, also while a field shows the server's problem with it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { seriousViolations } from './axe.js';
import {
  BROWSER_TEST_MS,
  type Browser,
  type BrowserUser,
  DESKTOP,
  horizontalOverflow,
  launch,
  PHONE,
  screenshot,
  setupInBrowser,
} from './browser.js';

const LONG = 'a-very-long-name-for-a-settings-row-that-must-wrap-on-a-phone-screen-rather-than-overflow';

describe.each(ENGINES)('console: settings pages on the shared pieces (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let owner: BrowserUser;
  beforeAll(async () => {
    server = await startTestServer(engine, { OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
    browser = await launch();
    owner = await browser.user();
    const page = await owner.page(DESKTOP);
    await setupInBrowser(page, server.url);
    await page.close();
    // One row in every list, made over the API with an ADMIN key.
    const key = await server.key('ADMIN');
    const post = async <T>(path: string, body: unknown): Promise<T> => {
      const res = await server.api(path, { method: 'POST', key, body: JSON.stringify(body) });
      const payload = (await res.json()) as { data: T; error?: string };
      expect(res.status, `${path}: ${payload.error}`).toBeLessThan(300);
      return payload.data;
    };
    const channel = await post<{ id: string }>('/api/v1/channels', {
      type: 'webhook',
      name: LONG,
      config: { url: 'http://127.0.0.1:9/hook' },
    });
    await post('/api/v1/forwarding', { name: LONG, channelId: channel.id, types: ['deployment'] });
    const integration = await post<{ id: string }>('/api/v1/integrations', {
      provider: 'prometheus',
      name: LONG,
      config: { url: 'http://127.0.0.1:9' },
    });
    await post('/api/v1/metrics/mappings', {
      metric: 'error_rate',
      integrationId: integration.id,
      query: 'sum(rate(http_errors_total{env="$subject"}[5m]))',
      subjects: ['PRODUCTION'],
      subjectValues: {},
      direction: 'lower-is-better',
    });
    await post('/api/v1/receivers', { kind: 'github', name: LONG, subject: 'PRODUCTION' });
    const now = Date.now();
    await post('/api/v1/guardrails/freezes', {
      name: LONG,
      startsAt: new Date(now + 86_400_000).toISOString(),
      endsAt: new Date(now + 2 * 86_400_000).toISOString(),
      subjects: ['PRODUCTION'],
    });
    await post('/api/v1/guardrails/policies', {
      name: LONG,
      ruleType: 'COOLDOWN',
      config: { cooldownMinutes: 30 },
    });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it(
    'lays out keys, sources, channels, analytics and guardrails at both sizes with an axe scan',
    async () => {
      const pages = [
        ['keys', 'key-row'],
        ['sources', 'receiver-row'],
        ['channels', 'rule-row'],
        ['analytics', 'mapping-row'],
        ['guardrails', 'policy-row'],
      ] as const;
      for (const [size, viewport] of [
        ['desktop', DESKTOP],
        ['phone', PHONE],
      ] as const) {
        const page = await owner.page(viewport);
        for (const [name, rowId] of pages) {
          await page.goto(`${server.url}/settings/${name}`);
          // The last list on the page has its row: the page has loaded every list.
          const row = page.getByTestId(rowId).first();
          await row.waitFor();
          await screenshot(page, `settings-${name}-${size}-${engine}`);
          expect(await horizontalOverflow(page), `${name} at ${size}`).toBeLessThanOrEqual(0);
          // Every row's buttons inside the screen (on a phone the rows are cards).
          for (const button of await page.locator('.list td.actions button').all()) {
            const box = await button.boundingBox();
            expect(box, `${name} at ${size}`).not.toBeNull();
            if (box)
              expect(box.x >= 0 && box.x + box.width <= viewport.width, `${name} at ${size}`).toBe(true);
          }
          expect(JSON.stringify(await seriousViolations(page), null, 1), `${name} at ${size}`).toBe('[]');
        }
        await page.close();
      }

      // A problem the server finds with a field shows under that field, and the page still passes.
      const page = await owner.page(PHONE);
      await page.goto(`${server.url}/settings/guardrails`);
      const policyForm = page.getByRole('form', { name: 'Deployment policy' });
      await policyForm.getByLabel('Name', { exact: true }).fill('Broken');
      await policyForm.getByLabel('Rule').selectOption('ALLOWED_HOURS');
      await policyForm.getByLabel('From hour (0-23)').fill('9');
      await policyForm.getByLabel('Until hour (0-23)').fill('9');
      await policyForm.getByLabel('Time zone').fill('UTC');
      await policyForm.getByRole('button', { name: 'Add policy' }).click();
      const problem = policyForm.getByTestId('field-problem');
      await expect.poll(() => problem.textContent()).toMatch(/^config.endHour: /);
      // The freeze form on the same page did not send it: its fields stay as they were.
      expect(
        await page.getByRole('form', { name: 'Freeze window' }).getByTestId('field-problem').count(),
      ).toBe(0);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
      await screenshot(page, `settings-field-problem-phone-${engine}`);
      await page.close();
    },
    BROWSER_TEST_MS * 2,
  );
});
