/**
 * A dropped live connection resumes where it stopped: the browser reconnects with
 * Last-Event-ID and the events sent while it was away arrive, each exactly once, without a reload.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { BROWSER_TEST_MS, type Browser, launch, sampleEvent, screenshot, setupInBrowser } from './browser.js';

describe.each(ENGINES)('console: live feed resume (%s)', (engine) => {
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
    'misses nothing across a dropped SSE connection',
    async () => {
      const page = await (await browser.user()).page();
      await setupInBrowser(page, server.url);
      const key = await server.key('READ_WRITE');
      // Events carry ids, so a resend after a cut connection is safe: source + id is stored once.
      const send = async (n: number) => {
        const body = JSON.stringify(
          sampleEvent({ id: `evt-${n}`, data: { description: `event number ${n}` } }),
        );
        const post = () => server.api('/api/v1/events', { method: 'POST', key, body });
        const res = await post().catch(post);
        expect([200, 201]).toContain(res.status);
      };
      const resumedWith: string[] = [];
      page.on('request', async (request) => {
        if (!request.url().includes('/api/v1/events/stream')) return;
        const header = (await request.allHeaders())['last-event-id'];
        if (header) resumedWith.push(header);
      });
      await page.evaluate(() => {
        (globalThis as unknown as { __sameDocument: boolean }).__sameDocument = true;
      });
      const rows = page.getByTestId('event-row');
      await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('live');
      await send(1);
      await expect.poll(() => rows.count()).toBe(1);

      // Cut every connection, the live stream included, and send while the browser is away.
      server.app.server.closeAllConnections();
      await send(2);
      await send(3);
      await send(4);

      await expect.poll(() => rows.count(), { timeout: 15_000 }).toBe(4);
      for (const n of [1, 2, 3, 4])
        expect(await rows.filter({ hasText: `event number ${n}` }).count()).toBe(1);
      await expect.poll(() => resumedWith.length).toBeGreaterThan(0);
      expect(
        await page.evaluate(() => (globalThis as unknown as { __sameDocument?: boolean }).__sameDocument),
      ).toBe(true);
      await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('live');
      await screenshot(page, `live-resume-${engine}`);
    },
    BROWSER_TEST_MS,
  );
});
