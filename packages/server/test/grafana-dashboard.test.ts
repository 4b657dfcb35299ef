/** docs/grafana-dashboard.json only charts metrics GET /metrics serves. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

const dashboard = readFileSync(new URL('../../../docs/grafana-dashboard.json', import.meta.url), 'utf8');

describe('the Grafana dashboard', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  }, 60_000);
  afterAll(() => server.close());

  it('every opstrails_ series it queries is exposed', async () => {
    const exposed = await (await fetch(`${server.url}/metrics`)).text();
    const names = new Set(exposed.match(/^# TYPE (\w+)/gm)?.map((l) => l.slice(7)));
    const used = new Set(dashboard.match(/opstrails_\w+/g));
    expect(used.size).toBeGreaterThan(5);
    for (const name of used) {
      const base = name.replace(/_(bucket|count|sum)$/, '');
      expect(names.has(base), `${name} in the dashboard is not served by /metrics`).toBe(true);
    }
  });
});
