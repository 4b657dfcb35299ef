/** The timeline: stacked bars of real events; hovering a bar lists its events; dragging zooms into the URL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import {
  BROWSER_TEST_MS,
  type Browser,
  horizontalOverflow,
  launch,
  PHONE,
  sampleEvent,
  screenshot,
  setupInBrowser,
} from './browser.js';

describe.each(ENGINES)('console: timeline (%s)', (engine) => {
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
    'shows events over time, names them on hover and zooms by dragging',
    async () => {
      const user = await browser.user();
      const page = await user.page();
      await setupInBrowser(page, server.url);
      const key = await server.key('READ_WRITE');
      const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
      const events = [
        sampleEvent({ time: ago(50), type: 'deployment', severity: 'LOW' }),
        sampleEvent({
          time: ago(30),
          type: 'incident',
          severity: 'CRITICAL',
          source: 'DB',
          data: { description: 'db down' },
        }),
        sampleEvent({ time: ago(5), type: 'rollback', severity: 'MAJOR' }),
      ];
      for (const event of events) {
        const sent = await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(event) });
        expect(sent.status).toBe(201);
      }

      await page.goto(`${server.url}/timeline?from=-1h`);
      await expect
        .poll(() => page.locator('.timeline-page .muted').first().textContent())
        .toContain('3 events');
      const over = page.locator('.u-over');
      const box = await over.boundingBox();
      if (!box) throw new Error('chart not drawn');

      // Sweep the cursor across the chart until the hover panel names the incident.
      const panel = page.getByTestId('timeline-hover');
      let found = false;
      for (let x = 1; x < box.width && !found; x += 3) {
        await page.mouse.move(box.x + x, box.y + box.height - 5);
        found = ((await panel.textContent()) ?? '').includes('incident');
      }
      expect(found).toBe(true);
      expect(await panel.textContent()).toContain('CRITICAL');
      expect(await panel.textContent()).toContain('DB');
      await screenshot(page, `timeline-hover-${engine}`);

      await page.getByLabel('Stack by').selectOption('type');
      await expect.poll(() => new URL(page.url()).searchParams.get('by')).toBe('type');
      await expect.poll(() => page.locator('.u-legend').textContent()).toContain('incident');

      // Drag over the last quarter (the last 15 minutes): the range becomes absolute, in the URL.
      await page.mouse.move(box.x + box.width * 0.75, box.y + 20);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width - 2, box.y + 20, { steps: 5 });
      await page.mouse.up();
      await expect.poll(() => new URL(page.url()).searchParams.get('to')).not.toBeNull();
      const from = Date.parse(new URL(page.url()).searchParams.get('from') ?? '');
      expect(from).toBeGreaterThan(Date.now() - 20 * 60_000);
      await expect
        .poll(() => page.locator('.timeline-page .muted').first().textContent())
        .toMatch(/^1 event\b/);
      await page.getByRole('button', { name: 'Reset zoom ✕' }).waitFor();
      await screenshot(page, `timeline-zoomed-${engine}`);

      const phone = await user.page(PHONE);
      await phone.goto(`${server.url}/timeline?from=-1h`);
      await phone.locator('.u-over').waitFor();
      expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
      await screenshot(phone, `timeline-phone-${engine}`);
    },
    BROWSER_TEST_MS,
  );
});
