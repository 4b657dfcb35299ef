/** The server serves the built console at `/`: deep links get the app, the API stays JSON, the page gets a strict CSP. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { ensureConsoleBuilt } from './browser.js';

describe('serving the console', () => {
  let server: TestServer;
  beforeAll(async () => {
    ensureConsoleBuilt();
    server = await startTestServer('sqlite');
  });
  afterAll(() => server?.close());

  it('answers every page path with the app and a strict CSP', async () => {
    for (const path of ['/', '/events?source=BE', '/settings/keys', '/invite']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(await res.text()).toContain('<div id="root">');
    }
  });

  it('serves assets with long caching and keeps unknown API and asset paths as JSON 404s', async () => {
    const html = await (await fetch(server.url)).text();
    const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${server.url}${script}`);
    expect(asset.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(asset.headers.get('cache-control')).toContain('immutable');
    for (const path of ['/api/v1/nothing-here', '/assets/gone-1234.js']) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ success: false, code: 'NOT_FOUND' });
    }
    const malformed = await fetch(`${server.url}/events%E0%A4%A`);
    expect(malformed.status).toBe(400);
    const traversal = await fetch(`${server.url}/..%2f..%2fpackage.json`);
    expect(await traversal.text()).not.toContain('"name": "@opstrails/console"');
  });
});
