/** `opstrails send` as a child process against a real server: fields, output, failures and exit codes. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpsTrailsClient } from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAddingProxy } from '../../../test-support/fault-proxy.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli, runCli } from './cli-process.js';

/** Each test starts CLI processes; on a loaded machine that takes a while. */
const SLOW = 90_000;

describe.each(ENGINES)('opstrails send on %s', (engine) => {
  let server: TestServer;
  let env: Record<string, string>;
  let reader: OpsTrailsClient;

  beforeAll(async () => {
    await buildCli();
    server = await startTestServer(engine);
    env = { OPSTRAILS_URL: server.url, OPSTRAILS_API_KEY: await server.key('READ_WRITE') };
    reader = new OpsTrailsClient({ apiKey: await server.key('READ_ONLY'), baseUrl: server.url });
  });
  afterAll(() => server.close());

  describe.concurrent('', { timeout: SLOW }, () => {
    it('sends every field and prints the stored id', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'opstrails-send-'));
      writeFileSync(join(dir, 'data.json'), JSON.stringify({ ticket: 'INC-42', description: 'overridden' }));
      const result = await runCli(
        [
          'send',
          '--type',
          'incident',
          '--source',
          '//github.com/acme/api',
          '--subject',
          'PRODUCTION',
          '--severity',
          'critical',
          '--version',
          'v2.4.1',
          '--id',
          'send-all-fields',
          '--time',
          '2025-01-15T14:30:00',
          '--timezone',
          'Europe/Paris',
          '--description',
          'checkout down',
          '--data',
          `@${join(dir, 'data.json')}`,
          '--dataschema',
          'https://example.com/incident.json',
          '--datacontenttype',
          'application/json',
        ],
        env,
      );
      expect(result).toMatchObject({ code: 0, stdout: 'send-all-fields\n' });
      expect(await reader.getEvent('send-all-fields')).toMatchObject({
        type: 'incident',
        source: '//github.com/acme/api',
        subject: 'PRODUCTION',
        severity: 'CRITICAL',
        version: 'v2.4.1',
        time: '2025-01-15T13:30:00.000Z',
        dataschema: 'https://example.com/incident.json',
        data: { ticket: 'INC-42', description: 'checkout down', timezone: 'Europe/Paris' },
      });
    });

    it('defaults time to NOW, and flags override the environment', async () => {
      const before = Date.now();
      const result = await runCli(
        [
          'send',
          '--type',
          'deployment',
          '--source',
          'FLAGS',
          '--data',
          '{"a":1}',
          '--url',
          server.url,
          '--json',
        ],
        { ...env, OPSTRAILS_URL: 'http://127.0.0.1:9' },
      );
      expect(result.code).toBe(0);
      const stored = JSON.parse(result.stdout);
      expect(stored).toMatchObject({ source: 'FLAGS', data: { a: 1 } });
      expect(Date.parse(stored.time)).toBeGreaterThanOrEqual(before - 1000);
    });

    it("fails with the server's message and code and a non-zero exit", async () => {
      const result = await runCli(
        ['send', '--type', 'deployment', '--source', 'BE', '--time', '2025-01-15T14:30:00'],
        env,
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/time: .*timezone is missing.*\[VALIDATION_ERROR\]/);
    });

    it('tells the fix for a READ_ONLY key, a missing key and an unreachable server', async () => {
      const readOnly = await runCli(['send', '--type', 'deployment', '--source', 'BE'], {
        ...env,
        OPSTRAILS_API_KEY: await server.key('READ_ONLY'),
      });
      expect(readOnly.code).toBe(1);
      expect(readOnly.stderr).toMatch(/\[FORBIDDEN\]\n {2}fix: this key is READ_ONLY/);

      const noKey = await runCli(['send', '--type', 'deployment', '--source', 'BE'], {
        OPSTRAILS_URL: server.url,
      });
      expect(noKey.code).toBe(1);
      expect(noKey.stderr).toMatch(/no API key: set OPSTRAILS_API_KEY or pass --api-key/);

      const down = await runCli(
        ['send', '--type', 'deployment', '--source', 'BE', '--url', 'http://127.0.0.1:9', '--retries', '0'],
        env,
      );
      expect(down.code).toBe(1);
      expect(down.stderr).toMatch(
        /could not reach http:\/\/127\.0\.0\.1:9.*\[NETWORK_ERROR\]\n {2}fix: is the server running/,
      );
    });

    it('cuts a description over 1,000 characters with a warning instead of failing', async () => {
      const long = 'd'.repeat(1_234);
      const result = await runCli(
        ['send', '--type', 'release', '--source', 'LONG', '--id', 'long-description', '--description', long],
        env,
      );
      expect(result).toMatchObject({ code: 0, stdout: 'long-description\n' });
      expect(result.stderr).toBe(
        'warning: description has 1,234 characters; cut to 1,000 (the limit), ending with "…"\n',
      );
      const stored = await reader.getEvent('long-description');
      expect(stored.data?.description).toBe(`${'d'.repeat(999)}…`);
    });

    it("prints the server's warnings on stderr, the id alone on stdout", async () => {
      const proxy = await startAddingProxy(server.url, { severty: 'MAJOR' });
      try {
        const result = await runCli(
          ['send', '--type', 'deployment', '--source', 'WARNED', '--id', 'warned', '--url', proxy.url],
          env,
        );
        expect(result).toMatchObject({ code: 0, stdout: 'warned\n' });
        expect(result.stderr).toMatch(
          /^warning: severty: not a known attribute; did you mean severity\?.*\n$/,
        );
      } finally {
        await proxy.close();
      }
    });

    it('stops at once on a used-up quota and says when it resets', async () => {
      const org = await server.store.organizations.create(`send-free-${engine}`, 'Free plan', 'free');
      const key = await server.key('READ_WRITE', org.id);
      await new OpsTrailsClient({ apiKey: key, baseUrl: server.url }).sendBatch(
        Array.from({ length: 100 }, (_, i) => ({
          specversion: '1.0' as const,
          type: 'deployment',
          source: 'BE',
          time: 'NOW',
          id: `fill-${i}`,
        })),
      );
      const result = await runCli(['send', '--type', 'deployment', '--source', 'BE'], {
        ...env,
        OPSTRAILS_API_KEY: key,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /daily event limit reached: .*\[QUOTA_EXCEEDED\]\n {2}fix: the limit resets at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ; send again after that/,
      );
    });

    it('refuses --data that is not a JSON object, before sending', async () => {
      const result = await runCli(
        ['send', '--type', 'deployment', '--source', 'BAD-DATA', '--data', '[1,2]'],
        env,
      );
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/--data: must be a JSON object/);
      expect((await reader.listEvents({ source: 'BAD-DATA' })).events).toEqual([]);
    });
  });
});
