/** `opstrails export` and `import` as child processes: formats, round trip, rejections, interruption. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpsTrailsClient, type StoredEvent } from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultProxy } from '../../../test-support/fault-proxy.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli, runCli, spawnCli, watch } from './cli-process.js';

const dir = mkdtempSync(join(tmpdir(), 'opstrails-export-import-'));
/** Each test starts several CLI processes; on a loaded machine that takes a while. */
const SLOW = 120_000;

/** A fresh organization with a READ_WRITE key, the CLI environment for it, and an SDK client. */
async function newOrg(server: TestServer, slug: string) {
  const org = await server.store.organizations.create(slug, slug);
  const key = await server.key('READ_WRITE', org.id);
  return {
    env: { OPSTRAILS_URL: server.url, OPSTRAILS_API_KEY: key },
    key,
    client: new OpsTrailsClient({ apiKey: key, baseUrl: server.url }),
  };
}

async function allEvents(client: OpsTrailsClient): Promise<StoredEvent[]> {
  const text = await new Response(await client.exportEvents()).text();
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as StoredEvent);
}

const withoutCreatedAt = ({ createdAt: _, ...event }: StoredEvent) => event;

describe.each(ENGINES)('opstrails export / import on %s', (engine) => {
  let server: TestServer;

  beforeAll(async () => {
    await buildCli();
    server = await startTestServer(engine);
  });
  afterAll(() => server.close());

  it(
    'exports NDJSON or a JSON array, oldest first, with filters, quietly off a terminal',
    async () => {
      const { env, client } = await newOrg(server, `export-${engine}`);
      await client.sendBatch(
        Array.from({ length: 30 }, (_, i) => ({
          specversion: '1.0' as const,
          id: `x${i}`,
          type: i % 3 === 0 ? 'rollback' : 'deployment',
          source: 'BE',
          time: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
        })),
      );
      const ndjsonFile = join(dir, `all-${engine}.ndjson`);
      const toFile = await runCli(['export', '-o', ndjsonFile], env);
      expect(toFile).toMatchObject({ code: 0, stdout: '', stderr: '' });
      const lines = readFileSync(ndjsonFile, 'utf8').trimEnd().split('\n');
      expect(lines.map((l) => JSON.parse(l).id)).toEqual(Array.from({ length: 30 }, (_, i) => `x${i}`));

      const jsonFile = join(dir, `rollbacks-${engine}.json`);
      expect((await runCli(['export', '--type', 'rollback', '-o', jsonFile], env)).code).toBe(0);
      expect(JSON.parse(readFileSync(jsonFile, 'utf8'))).toHaveLength(10);

      const stdout = await runCli(['export', '--format', 'json', '--from', '2025-01-01T00:20:00Z'], env);
      expect(JSON.parse(stdout.stdout).map((e: StoredEvent) => e.id)).toEqual(
        Array.from({ length: 10 }, (_, i) => `x${i + 20}`),
      );
    },
    SLOW,
  );

  it(
    'import takes back what export wrote, NDJSON and JSON alike',
    async () => {
      const from = await newOrg(server, `round-from-${engine}`);
      const ndjsonTo = await newOrg(server, `round-ndjson-${engine}`);
      const jsonTo = await newOrg(server, `round-json-${engine}`);
      await from.client.trackEvent({
        type: 'deployment',
        source: '//github.com/acme/api',
        subject: 'PRODUCTION',
        severity: 'MAJOR',
        version: 'v2',
        data: { description: 'with "quotes", commas, ] and }', nested: { list: [1, 2] } },
      });
      await from.client.trackEvent({ type: 'incident', source: 'DB', time: '2025-01-15T14:30:00Z' });
      const ndjson = join(dir, `round-${engine}.ndjson`);
      const json = join(dir, `round-${engine}.json`);
      await runCli(['export', '-o', ndjson], from.env);
      await runCli(['export', '-o', json], from.env);

      expect(await runCli(['import', ndjson], ndjsonTo.env)).toMatchObject({
        code: 0,
        stdout: '',
        stderr: '',
      });
      expect(await runCli(['import', json], jsonTo.env)).toMatchObject({ code: 0 });
      const original = (await allEvents(from.client)).map(withoutCreatedAt);
      expect((await allEvents(ndjsonTo.client)).map(withoutCreatedAt)).toEqual(original);
      expect((await allEvents(jsonTo.client)).map(withoutCreatedAt)).toEqual(original);
    },
    SLOW,
  );

  it(
    'import reports each rejected event by line, stores the rest, and exits 1',
    async () => {
      const { env, client } = await newOrg(server, `rejects-${engine}`);
      const file = join(dir, `rejects-${engine}.ndjson`);
      writeFileSync(
        file,
        [
          '{"specversion":"1.0","type":"deployment","source":"BE","time":"NOW","id":"ok-1"}',
          '',
          '{not json',
          '{"specversion":"1.0","source":"BE","time":"NOW"}',
          '{"specversion":"1.0","type":"deployment","source":"BE","time":"NOW","id":"ok-2"}',
        ].join('\n'),
      );
      const result = await runCli(['import', file], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/line 3: not valid JSON .*\[VALIDATION_ERROR\]/);
      expect(result.stderr).toMatch(/line 4: type: Required \[VALIDATION_ERROR\]/);
      expect(result.stderr).toMatch(/2 events rejected \(listed above\), 2 stored/);
      expect((await allEvents(client)).map((e) => e.id)).toEqual(['ok-1', 'ok-2']);
    },
    SLOW,
  );

  it(
    'an interrupted import, run again, finishes the job without duplicates',
    async () => {
      const { env, client } = await newOrg(server, `resume-${engine}`);
      const file = join(dir, `resume-${engine}.ndjson`);
      const lines = Array.from({ length: 5000 }, (_, i) =>
        JSON.stringify({
          specversion: '1.0',
          type: 'data-load',
          source: 'WORKER',
          time: new Date(Date.UTC(2025, 1, 1) + i * 1000).toISOString(),
          // Half the events carry no id: import derives one from the content.
          ...(i % 2 === 0 ? { id: `load-${i}` } : { data: { batch: i } }),
        }),
      );
      writeFileSync(file, `${lines.join('\n')}\n`);

      // The first three batches reach the server; from the fourth on, the network hangs.
      const proxy = await startFaultProxy(server.url, (n) => (n <= 3 ? 'forward' : 'handled'));
      const child = spawnCli(
        ['import', file, '--batch-size', '500', '--concurrency', '2', '--url', proxy.url],
        env,
      );
      const { result } = watch(child);
      try {
        while (proxy.count() < 4 || (await allEvents(client)).length < 1500) {
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        child.kill('SIGKILL');
        expect((await result).code).toBe(null);
        expect(await allEvents(client)).toHaveLength(1500);
      } finally {
        child.kill('SIGKILL');
        await proxy.close();
      }

      expect(await runCli(['import', file], env)).toMatchObject({ code: 0, stderr: '' });
      const stored = await allEvents(client);
      expect(stored).toHaveLength(5000);
      expect(new Set(stored.map((e) => e.id)).size).toBe(5000);
      expect((await runCli(['import', file], env)).code).toBe(0);
      expect(await allEvents(client)).toHaveLength(5000);
    },
    SLOW,
  );
});
