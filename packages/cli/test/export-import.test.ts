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
    'exports NDJSON or a JSON array, oldest first, with filters, and a summary on stderr',
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
      expect(toFile).toMatchObject({ code: 0, stdout: '' });
      expect(toFile.stderr).toMatch(new RegExp(`^exported 30 events to ${ndjsonFile} \\([\\d,]+/s\\)\n$`));
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

      const imported = await runCli(['import', ndjson], ndjsonTo.env);
      expect(imported).toMatchObject({ code: 0, stdout: '' });
      expect(imported.stderr).toMatch(/^2 sent: 2 new, 0 already stored, 0 rejected \([\d,]+\/s\)\n$/);
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
      expect(result.stderr).toMatch(/^4 sent: 2 new, 0 already stored, 2 rejected /m);
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

      const resumed = await runCli(['import', file], env);
      expect(resumed.code).toBe(0);
      expect(resumed.stderr).toMatch(/^5,000 sent: 3,500 new, 1,500 already stored, 0 rejected \(/);
      const stored = await allEvents(client);
      expect(stored).toHaveLength(5000);
      expect(new Set(stored.map((e) => e.id)).size).toBe(5000);
      const again = await runCli(['import', file], env);
      expect(again.code).toBe(0);
      expect(again.stderr).toMatch(/^5,000 sent: 0 new, 5,000 already stored, 0 rejected \(/);
      expect(await allEvents(client)).toHaveLength(5000);
    },
    SLOW,
  );

  it(
    'off a terminal, import and export print a progress line every OPSTRAILS_PROGRESS_SECONDS',
    async () => {
      const { env } = await newOrg(server, `progress-${engine}`);
      const file = join(dir, `progress-${engine}.ndjson`);
      const lines = Array.from({ length: 3000 }, (_, i) =>
        JSON.stringify({ specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW', id: `p-${i}` }),
      );
      writeFileSync(file, `${lines.join('\n')}\n`);
      // A line every millisecond: any real import or export takes long enough to print some.
      const fast = { ...env, OPSTRAILS_PROGRESS_SECONDS: '0.001' };
      const imported = await runCli(['import', file, '--batch-size', '50', '--concurrency', '1'], fast);
      expect(imported.code).toBe(0);
      const importLines = imported.stderr.trimEnd().split('\n');
      expect(importLines.length).toBeGreaterThan(1);
      for (const line of importLines.slice(0, -1))
        expect(line).toMatch(/^imported [\d,]+ events {2}[\d,]+\/s so far( \(\d+% of the file\))?$/);
      expect(importLines.some((line) => / so far \(\d+% of the file\)$/.test(line))).toBe(true);
      expect(importLines.at(-1)).toMatch(/^3,000 sent: 3,000 new, 0 already stored, 0 rejected /);

      const exported = await runCli(['export', '-o', join(dir, `progress-${engine}.out.ndjson`)], fast);
      expect(exported.code).toBe(0);
      const exportLines = exported.stderr.trimEnd().split('\n');
      expect(exportLines.length).toBeGreaterThan(1);
      for (const line of exportLines.slice(0, -1))
        expect(line).toMatch(/^exported [\d,]+ events {2}[\d,]+\/s so far$/);
      expect(exportLines.at(-1)).toMatch(/^exported 3,000 events to /);

      const quiet = await runCli(['import', file], { ...env, OPSTRAILS_PROGRESS_SECONDS: '0' });
      expect(quiet.stderr).toMatch(/^3,000 sent: 0 new, 3,000 already stored, 0 rejected \([\d,]+\/s\)\n$/);
      const wrong = await runCli(['import', file], { ...env, OPSTRAILS_PROGRESS_SECONDS: 'often' });
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(/OPSTRAILS_PROGRESS_SECONDS: "often" must be a number of seconds/);
    },
    SLOW,
  );

  it(
    "import prints the server's warnings with the line they came from",
    async () => {
      const { env } = await newOrg(server, `import-warn-${engine}`);
      const file = join(dir, `warn-${engine}.ndjson`);
      writeFileSync(
        file,
        [
          '{"specversion":"1.0","type":"deployment","source":"BE","time":"NOW","id":"w-1"}',
          '{"specversion":"1.0","source":"BE","time":"NOW"}',
          '{"specversion":"1.0","type":"deployment","source":"BE","time":"NOW","id":"w-2","severty":"MAJOR"}',
        ].join('\n'),
      );
      const result = await runCli(['import', file], env);
      expect(result.stderr).toMatch(
        /^line 3: warning: severty: not a known attribute; did you mean severity\?/m,
      );
      expect(result.stderr).toMatch(/^3 sent: 2 new, 0 already stored, 1 rejected /m);
    },
    SLOW,
  );
});
