/**
 * The console's pages on crafted data, at 1280x800 and 390x844, with a screenshot each and an
 * axe-core scan (no serious or critical violation): the feed as a windowed table scrolled through
 * 10,000 events, its facets and keys (j/k, Enter, /), the event page with its neighbours and
 * promotion path, the grid's drift kinds and naming check, the timeline's controls, and the keys
 * page on a phone. One engine: the routes behind these pages are tested on both in the server's
 * tests (test/console-reads.test.ts); a browser launch per engine is too dear for this machine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { seriousViolations } from './axe.js';
import {
  type Browser,
  type BrowserUser,
  DESKTOP,
  horizontalOverflow,
  launch,
  PHONE,
  screenshot,
  setupInBrowser,
} from './browser.js';

const LONG = 'payments-orchestrator-with-a-very-long-service-name-from-the-platform-team';
const HOUR = 3_600_000;

describe('console: pages on crafted data (sqlite)', () => {
  let server: TestServer;
  let browser: Browser;
  let owner: BrowserUser;
  let key: string;
  const now = Date.now();
  const iso = (ms: number) => new Date(ms).toISOString();

  const send = async (events: Record<string, unknown>[]) => {
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify(events.map((e) => ({ specversion: '1.0', ...e }))),
    });
    expect(((await res.json()) as { data: { rejected: unknown[] } }).data.rejected).toEqual([]);
  };

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    browser = await launch();
    owner = await browser.user();
    const page = await owner.page(DESKTOP);
    await setupInBrowser(page, server.url);
    await page.close();
    key = await server.key('READ_WRITE');
    // 10,000 events over ten days: the feed's bulk (no subject, no version on some).
    for (let batch = 0; batch < 10; batch++)
      await send(
        Array.from({ length: 1_000 }, (_, i) => {
          const n = batch * 1_000 + i;
          return {
            specversion: '1.0',
            id: `bulk-${n}`,
            type: n % 7 === 0 ? 'cache-purge' : 'heartbeat',
            source: n % 3 === 0 ? 'CDN' : 'WORKER',
            ...(n % 5 === 0 ? {} : { subject: 'PRODUCTION' }),
            ...(n % 4 === 0 ? { severity: 'LOW' } : {}),
            time: iso(now - 3 * HOUR - n * 86_400),
            data: { description: `Bulk event ${n}` },
          };
        }),
      );
    // The grid's drift kinds, a naming variant, long names and missing fields.
    const at = (h: number) => iso(now - h * HOUR);
    await send([
      { id: 'a-s', type: 'deployment', source: 'AHEAD', subject: 'STAGING', version: 'v2.10.0', time: at(2) },
      {
        id: 'a-p',
        type: 'deployment',
        source: 'AHEAD',
        subject: 'PRODUCTION',
        version: 'v2.9.3',
        time: at(2.5),
      },
      { id: 'h-s', type: 'deployment', source: 'HOTFIX', subject: 'STAGING', version: '1.4.0', time: at(2) },
      {
        id: 'h-p',
        type: 'deployment',
        source: 'HOTFIX',
        subject: 'PRODUCTION',
        version: '1.4.1',
        time: at(1.5),
      },
      { id: 's-s', type: 'deployment', source: 'SHA', subject: 'STAGING', version: '9f3c2e1', time: at(2) },
      {
        id: 's-p',
        type: 'deployment',
        source: 'SHA',
        subject: 'production',
        version: '77ab0d4',
        time: at(1.2),
      },
      {
        id: 'l-1',
        type: 'deployment',
        source: LONG,
        subject: 'EU-WEST-STAGING',
        version: '2026.11.30-build.4411',
        time: at(1.1),
        severity: 'MAJOR',
        correlationid: 'change-42',
        data: {
          description: `Roll out ${LONG} with the new ledger schema and a description far longer than any column`,
        },
      },
      {
        id: 'l-2',
        type: 'deployment',
        source: LONG,
        subject: 'EU-WEST-STAGING',
        version: '2026.11.29-build.4400',
        time: at(1.9),
      },
      { id: 'bare', type: 'note', source: 'MANUAL', time: at(1) },
    ]);
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('feed: a table with headers, count and facets; windowed through 10,000 rows; keys j/k, Enter, /', async () => {
    const page = await owner.page(DESKTOP);
    await page.goto(`${server.url}/events`);
    const count = page.getByTestId('result-count');

    await expect.poll(() => count.textContent(), { timeout: 20_000 }).toMatch(/^10,009 events/);
    const head = page.locator('.feed-head');
    expect(await head.textContent()).toBe('TimeSeverityTypeSource → subjectVersionDescription');
    // Facets count the current range: the top type and a click filters to it (any case).
    const facet = page
      .locator('.facet')
      .filter({ hasText: 'Type' })
      .getByRole('button', { name: /heartbeat/ });
    expect(await facet.textContent()).toContain('8,571');
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
    await screenshot(page, 'pages-feed-desktop');
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
    await page.emulateMedia({ colorScheme: 'light' });

    // A long name is cut, whole on hover; an event without subject or version leaves its columns empty.
    const long = page.getByTestId('event-row').filter({ hasText: 'Roll out' });
    expect(await long.locator('.event-where').getAttribute('title')).toBe(`${LONG} → EU-WEST-STAGING`);
    const bare = page.getByTestId('event-row').filter({ hasText: 'MANUAL' });
    expect(await bare.locator('.event-version').textContent()).toBe('');
    expect(await page.locator('.day-separator').count()).toBeGreaterThan(0);

    // Scrolling to the end loads every older page; the DOM keeps a window of rows only.
    const rows = page.getByTestId('event-row');
    for (let i = 0; i < 60; i++) {
      await page.evaluate(() => {
        const w = globalThis as unknown as {
          scrollTo(x: number, y: number): void;
          document: { body: { scrollHeight: number } };
        };
        w.scrollTo(0, w.document.body.scrollHeight);
      });
      if (await page.getByText('No older events.').isVisible()) break;
      await page.waitForTimeout(150);
    }
    expect(await page.getByText('No older events.').isVisible()).toBe(true);
    expect(await rows.count()).toBeLessThan(100);
    expect(await rows.last().textContent()).toContain('Bulk event 9999');

    // Keys: back to the top, j selects the first rows, Enter opens the selected one.
    await page.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    // Tab reaches the feed at its first row; j/k then move the selection.
    await expect.poll(() => rows.first().getByRole('link').getAttribute('tabindex')).toBe('0');
    expect(await page.locator('[data-testid="event-row"] a[tabindex="0"]').count()).toBe(1);
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    await page.keyboard.press('k');
    await page.keyboard.press('j');
    const selected = page.locator('[data-testid="event-row"][aria-current="true"]');
    expect(await selected.count()).toBe(1);
    const second = await selected.locator('.event-description').textContent();
    await page.keyboard.press('Enter');
    await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/events\/.+/);
    expect(await page.locator('.lead').textContent()).toBe(second);
    await page.goBack();
    await page.keyboard.press('/');
    expect(
      await page.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { name: string } } }).document.activeElement
            .name,
      ),
    ).toBe('search');

    await facet.click();
    await expect.poll(() => new URL(page.url()).searchParams.get('type')).toBe('heartbeat');
    await expect.poll(() => count.textContent()).toMatch(/^8,571 events/);
    await page.close();

    const phone = await owner.page(PHONE);
    await phone.goto(`${server.url}/events`);
    await expect.poll(() => phone.getByTestId('result-count').textContent()).toMatch(/^10,009/);
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'pages-feed-phone');
    await phone.close();
  }, 240_000);

  it('event page: every field, the events around it, its promotion path, both sizes', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const page = await owner.page(viewport);
      await page.goto(`${server.url}/events/l-1?source=${encodeURIComponent(LONG)}`);
      await page.getByTestId('event-json').waitFor();
      expect(await page.getByTestId('event-extension').textContent()).toBe('correlationidchange-42');
      const around = page.getByTestId('around');
      await expect.poll(() => around.locator('li').count()).toBe(2);
      expect(await around.textContent()).toContain('(this event)');
      const path = page.getByTestId('promotion-path');
      await expect.poll(() => path.textContent()).toContain('EU-WEST-STAGING');
      expect(await page.locator('[data-slot="impact"]').count()).toBe(1);
      expect(await page.locator('[data-slot="guardrails"]').count()).toBe(1);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
      await screenshot(page, `pages-event-${name}`);

      // An event without subject, version or severity says so.
      await page.goto(`${server.url}/events/bare?source=MANUAL`);
      await page.getByTestId('event-fields').waitFor();
      expect(await page.getByTestId('event-fields').textContent()).toContain('subjectnone');
      await page.close();
    }
  }, 120_000);

  it('grid: drift told by kind, one-line summary, naming check, sticky first column', async () => {
    const page = await owner.page(DESKTOP);
    await page.goto(`${server.url}/grid`);
    await page.locator('a.cell').first().waitFor();
    const cell = (source: string) => page.locator('tr', { has: page.locator(`th[title="${source}"]`) });
    expect(await cell('AHEAD').locator('a.cell.drift-ahead').textContent()).toContain('v2.10.0');
    expect(await cell('HOTFIX').locator('a.cell.drift-unpromoted').textContent()).toContain('1.4.1');
    // Only the rung ahead carries the mark; SHA's lower-case `production` is still on its ladder (diverged).
    expect(await cell('AHEAD').locator('a.cell.drifted').count()).toBe(1);
    const summary = page.getByTestId('drift-summary');
    expect(await summary.getAttribute('open')).toBeNull();
    expect(await summary.locator('summary').textContent()).toBe(
      '3 ladders with different versions: 1 skipped a rung, 1 diverged, 1 waiting for promotion',
    );
    const naming = page.getByTestId('naming-check');
    await naming.locator('summary').click();
    expect(await naming.locator('li').first().textContent()).toContain('"PRODUCTION"');
    expect(await naming.locator('li').first().textContent()).toContain('"production"');
    // Column headers keep the subject's own spelling.
    expect(await page.locator('thead th').allTextContents()).toEqual(
      expect.arrayContaining(['production', 'PRODUCTION']),
    );
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
    await screenshot(page, 'pages-grid-desktop');
    // Each spelling filters the grid to exactly itself (the feed's filters match in any case).
    await naming.getByRole('link', { name: '"production"', exact: true }).click();
    await expect.poll(() => page.locator('thead th').count()).toBe(2);
    expect(await page.locator('thead th').nth(1).textContent()).toBe('production');
    expect(await page.getByTestId('grid-only').textContent()).toContain('subject "production"');
    await page.getByRole('link', { name: 'Show all' }).click();
    await expect.poll(() => page.locator('thead th').count()).toBe(5);
    // Dark mode follows the system setting, with the same contrast.
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
    await screenshot(page, 'pages-grid-dark');

    const phone = await owner.page(PHONE);
    await phone.goto(`${server.url}/grid`);
    await phone.locator('a.cell').first().waitFor();
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    // The first column stays put while the grid scrolls sideways.
    const first = phone.locator('tbody th').first();
    const before = await first.boundingBox();
    await phone.locator('.grid-scroll').evaluate((el) => {
      (el as unknown as { scrollLeft: number }).scrollLeft = 400;
    });
    expect((await first.boundingBox())?.x).toBe(before?.x);
    expect(await seriousViolations(phone)).toEqual([]);
    await screenshot(phone, 'pages-grid-phone');
    await page.close();
    await phone.close();
  }, 120_000);

  it('timeline and keys: controls unclipped, no legend dashes, deploy markers; Revoke reachable on a phone', async () => {
    for (const [name, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      const page = await owner.page(viewport);
      await page.goto(`${server.url}/timeline?markers=deploys`);
      await page.getByTestId('timeline-chart').locator('canvas').waitFor();
      expect(await page.locator('.u-legend').textContent()).not.toContain('–');
      const range = page.getByLabel('Range');
      expect(
        await range.evaluate((el) => {
          const s = el as unknown as { scrollWidth: number; clientWidth: number };
          return s.scrollWidth <= s.clientWidth;
        }),
      ).toBe(true);
      expect(await page.getByLabel('Deploys as markers').isChecked()).toBe(true);
      // Hovering a bar lists its events with their descriptions and links to them in the feed.
      // The chart is redrawn when its events arrive, so move over it until a bar answers.
      const panel = page.getByTestId('timeline-hover');
      const over = page.locator('.u-over');
      let step = 0;
      await expect
        .poll(async () => {
          const box = await over.boundingBox();
          if (box) await page.mouse.move(box.x + box.width / 2 + (step++ % 2), box.y + box.height / 2);
          return panel.textContent();
        })
        .toContain('Bulk event');
      const feedLink = panel.getByRole('link', { name: /in the feed/ });
      const href = new URL((await feedLink.getAttribute('href')) ?? '', server.url);
      expect(href.pathname).toBe('/events');
      expect(
        Date.parse(href.searchParams.get('to') ?? '') - Date.parse(href.searchParams.get('from') ?? ''),
      ).toBeGreaterThan(0);
      // At rest (cursor away) the legend shows no values.
      await page.mouse.move(0, 0);
      await expect.poll(() => page.locator('.u-legend').textContent()).not.toContain('–');
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
      await screenshot(page, `pages-timeline-${name}`);

      await page.goto(`${server.url}/settings/keys`);
      const revoke = page.getByTestId('key-row').first().getByRole('button', { name: 'Revoke' });
      await revoke.waitFor();
      const box = await revoke.boundingBox();
      expect((box?.x ?? -1) >= 0 && (box?.x ?? 0) + (box?.width ?? 0) <= viewport.width).toBe(true);
      expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
      expect(JSON.stringify(await seriousViolations(page), null, 1)).toBe('[]');
      await screenshot(page, `pages-keys-${name}`);
      await page.close();
    }
  }, 120_000);
});
