/** `opstrails export` then `import` as child processes keep CloudEvents extension attributes. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpsTrailsClient } from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli, runCli } from './cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'opstrails-extensions-'));
/** Several CLI processes; on a loaded machine that takes a while. */
const SLOW = 120_000;

describe.each(ENGINES)('extension attributes through export and import on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    await buildCli();
    server = await startTestServer(engine);
  });
  afterAll(() => server.close());

  async function org(slug: string) {
    const created = await server.store.organizations.create(slug, slug);
    const key = await server.key('READ_WRITE', created.id);
    return {
      env: { OPSTRAILS_URL: server.url, OPSTRAILS_API_KEY: key },
      client: new OpsTrailsClient({ apiKey: key, baseUrl: server.url }),
    };
  }

  it(
    'export writes them after the twelve fields and import stores them again',
    async () => {
      const from = await org(`ext-from-${engine}`);
      const to = await org(`ext-to-${engine}`);
      await from.client.sendBatch([
        {
          specversion: '1.0',
          id: 'linked',
          type: 'deployment',
          source: 'BE',
          time: '2026-11-30T10:00:00Z',
          correlationid: 'change-42',
          sequence: 7,
          replayed: true,
        },
        { specversion: '1.0', id: 'plain', type: 'incident', source: 'DB', time: '2026-11-30T10:05:00Z' },
      ]);
      const file = join(dir, `export-${engine}.ndjson`);
      expect((await runCli(['export', '-o', file], from.env)).code).toBe(0);
      const written = readFileSync(file, 'utf8')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(written[0]).toMatchObject({
        id: 'linked',
        correlationid: 'change-42',
        sequence: 7,
        replayed: true,
      });
      expect(Object.keys(written[0]).slice(12)).toEqual(['correlationid', 'sequence', 'replayed']);

      expect((await runCli(['import', file], to.env)).code).toBe(0);
      const page = await to.client.listEvents({ correlationid: 'change-42' });
      expect(page.events.map((e) => [e.id, e.correlationid, e.sequence, e.replayed])).toEqual([
        ['linked', 'change-42', 7, true],
      ]);
      expect((await to.client.getEvent('plain')).correlationid).toBeUndefined();
    },
    SLOW,
  );
});
