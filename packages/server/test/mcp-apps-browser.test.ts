/**
 * The MCP Apps views in real Chromium, hosted the way the extension says (a sandboxed iframe,
 * `ui/initialize`, then `ui/notifications/tool-input` and `ui/notifications/tool-result` over
 * postMessage), fed the real results of the tools over events whose fields carry markup:
 * every view draws, the markup shows as the text it is, and nothing of it runs or loads.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepSeries } from '../../../test-support/step-series.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { BROWSER_TEST_MS, type Browser, launch, screenshot } from '../../console/test/browser.js';

const SCRIPT = '<script>window.__xss=1</script>';
const IMG = '<img src=x onerror=window.__xss=1>';
const MIN = 60_000;
const T = Math.floor((Date.now() - 3 * 3_600_000) / MIN) * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

/** A host page: answers the view's handshake, then hands it the tool input and result. */
const HOST = `<!DOCTYPE html><html><body><script>
window.received = [];
window.feed = (html, input, result) => {
  const frame = document.createElement('iframe');
  frame.setAttribute('sandbox', 'allow-scripts');
  frame.style.width = '900px';
  frame.style.height = '700px';
  window.addEventListener('message', (event) => {
    if (event.source !== frame.contentWindow) return;
    const m = event.data;
    window.received.push(m && m.method ? m.method : m);
    const reply = (message) => frame.contentWindow.postMessage(message, '*');
    if (m.method === 'ui/initialize')
      reply({ jsonrpc: '2.0', id: m.id, result: { protocolVersion: '2026-01-26', hostCapabilities: {},
        hostInfo: { name: 'test-host', version: '1' }, hostContext: { theme: 'light', displayMode: 'inline' } } });
    if (m.method === 'ui/notifications/initialized') {
      reply({ jsonrpc: '2.0', method: 'ui/notifications/tool-input', params: { arguments: input } });
      reply({ jsonrpc: '2.0', method: 'ui/notifications/tool-result', params: result });
    }
  });
  frame.srcdoc = html;
  document.body.append(frame);
};
</script></body></html>`;

/** What the host page (HOST) exposes; the test project has no DOM types. */
interface HostWindow {
  received: string[];
  feed(html: string, input: Record<string, unknown>, result: ToolResult): void;
}

interface ToolResult {
  isError?: boolean;
  content: { type: string; text?: string }[];
  structuredContent?: Record<string, unknown>;
}

describe.each(ENGINES)('MCP Apps views in Chromium with hostile events (%s)', (engine) => {
  let server: TestServer;
  let browser: Browser;
  let client: Client;
  let deployId: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    const key = await server.key('READ_WRITE');
    const points = stepSeries({
      metric: 'p95_latency',
      subject: 'PRODUCTION',
      at: T,
      before: 180,
      after: 420,
    });
    const pushed = await server.api('/api/v1/metrics/webhook', {
      method: 'POST',
      key,
      body: JSON.stringify(points),
    });
    expect(pushed.status).toBeLessThan(300);
    const send = async (event: object) => {
      const res = await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(event) });
      expect(res.status, await res.clone().text()).toBe(201);
      return ((await res.json()) as { data: { id: string } }).data.id;
    };
    const base = { specversion: '1.0', subject: 'PRODUCTION', severity: 'CRITICAL' };
    deployId = await send({
      ...base,
      type: 'deployment',
      source: 'BE',
      version: IMG,
      time: iso(T),
      data: { description: `${SCRIPT}${IMG}` },
    });
    await send({ ...base, type: IMG, source: SCRIPT, version: SCRIPT, time: iso(T + 10 * MIN) });
    browser = await launch();
    client = new Client({ name: 'apps-test', version: '1' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await server.key('READ_ONLY')}` } },
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
    await browser?.close();
    await server?.close();
  });

  /** Renders the tool's view fed its real result; returns the page and the view's frame once drawn. */
  async function render(
    tool: string,
    args: Record<string, unknown>,
    /** Feed the result of another tool instead (an answer of another shape). */
    resultOf = tool,
  ): Promise<{ page: Page; frame: Frame }> {
    const { tools } = await client.listTools();
    const meta = tools.find((t) => t.name === tool)?._meta as { ui: { resourceUri: string } } | undefined;
    const uri = meta?.ui.resourceUri as string;
    const html = ((await client.readResource({ uri })).contents[0] as { text: string }).text;
    const result = (await client.callTool({ name: resultOf, arguments: args })) as ToolResult;
    expect(result.isError, JSON.stringify(result.content)).not.toBe(true);
    const page = await (await browser.user()).page();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setContent(HOST);
    await page.evaluate(([h, a, r]) => (globalThis as unknown as HostWindow).feed(h, a, r), [
      html,
      args,
      result,
    ] as const);
    await page.waitForFunction(() =>
      (globalThis as unknown as HostWindow).received.includes('ui/notifications/size-changed'),
    );
    const frame = page.frames().find((f) => f !== page.mainFrame()) as Frame;
    expect(dialogs).toEqual([]);
    return { page, frame };
  }

  /** Markup shows as text, no element of it exists, nothing ran; only the view's own script is there. */
  async function expectInert(frame: Frame, shown: string[]) {
    const body = await frame.locator('body').innerText();
    for (const text of shown) expect(body).toContain(text);
    expect(await frame.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await frame.locator('img, iframe, object, embed').count()).toBe(0);
    expect(await frame.locator('script').count()).toBe(1);
  }

  it(
    'the timeline draws query_events with the markup as text',
    async () => {
      const { page, frame } = await render('query_events', { from: iso(T - 60 * MIN) });
      await expectInert(frame, [SCRIPT, IMG, '2 event(s)']);
      expect(await frame.locator('svg circle').count()).toBe(2);
      await screenshot(page, `mcp-app-timeline-${engine}`);
      const received = await page.evaluate(() => (globalThis as unknown as HostWindow).received);
      expect(received.slice(0, 2)).toEqual(['ui/initialize', 'ui/notifications/initialized']);
      // Defence in depth: even markup put into the page by hand would not run, the policy refuses it.
      const refused = await frame.evaluate(
        () =>
          new Promise<string[]>((resolve) => {
            const w = globalThis as unknown as {
              document: {
                body: { insertAdjacentHTML(where: string, html: string): void };
                addEventListener(type: string, listener: (e: { violatedDirective: string }) => void): void;
              };
            };
            const seen: string[] = [];
            w.document.addEventListener('securitypolicyviolation', (e) => {
              seen.push(e.violatedDirective);
              if (seen.some((d) => d.startsWith('script-src'))) resolve(seen);
            });
            w.document.body.insertAdjacentHTML(
              'beforeend',
              '<svg onload="window.__xss=1"></svg><script>window.__xss=1</script>',
            );
          }),
      );
      expect(refused.some((d) => d.startsWith('script-src'))).toBe(true);
      expect(await frame.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    },
    BROWSER_TEST_MS,
  );

  it(
    "an answer without the view's field (a summary) shows the tool's own text, markup as text",
    async () => {
      const { frame } = await render(
        'query_events',
        { from: iso(T - 60 * MIN), to: iso(T + 60 * MIN) },
        'get_event_summary',
      );
      await expectInert(frame, ['2 event(s) from', SCRIPT, IMG]);
      expect(await frame.locator('pre').count()).toBe(1);
      expect(await frame.locator('svg, table').count()).toBe(0);
    },
    BROWSER_TEST_MS,
  );

  it(
    'the grid draws get_environment_grid with the markup as text',
    async () => {
      const { page, frame } = await render('get_environment_grid', {});
      await expectInert(frame, [SCRIPT, IMG, 'Environment grid']);
      // Two sources (BE and the hostile one) × PRODUCTION.
      expect(await frame.locator('table tr').count()).toBe(3);
      await screenshot(page, `mcp-app-grid-${engine}`);
    },
    BROWSER_TEST_MS,
  );

  it(
    'the impact chart draws get_metrics_around_event with the markup as text',
    async () => {
      const { page, frame } = await render('get_metrics_around_event', { eventId: deployId, source: 'BE' });
      await expectInert(frame, ['p95_latency', 'regressed', SCRIPT, IMG]);
      // Before and after bars for the one metric.
      expect(await frame.locator('svg rect').count()).toBe(2);
      await screenshot(page, `mcp-app-impact-${engine}`);
    },
    BROWSER_TEST_MS,
  );
});
