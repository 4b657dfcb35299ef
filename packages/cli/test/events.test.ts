/** `opstrails events list|get|tail` as child processes against a real server. */
import { OpsTrailsClient } from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTcpProxy } from '../../../test-support/tcp-proxy.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli, runCli, spawnCli, watch } from './cli-process.js';

/** Each test starts CLI processes; on a loaded machine that takes a while. */
const SLOW = 90_000;

describe.each(ENGINES)('opstrails events on %s', (engine) => {
  let server: TestServer;
  let env: Record<string, string>;
  let writer: OpsTrailsClient;

  beforeAll(async () => {
    await buildCli();
    server = await startTestServer(engine);
    env = { OPSTRAILS_URL: server.url, OPSTRAILS_API_KEY: await server.key('READ_ONLY') };
    writer = new OpsTrailsClient({ apiKey: await server.key('READ_WRITE'), baseUrl: server.url });
    const at = (minute: number) => new Date(Date.UTC(2025, 0, 15, 12, minute)).toISOString();
    await writer.sendBatch([
      {
        specversion: '1.0',
        id: 'l1',
        type: 'deployment',
        source: 'BE',
        subject: 'PRODUCTION',
        time: at(0),
        version: 'v1',
      },
      {
        specversion: '1.0',
        id: 'l2',
        type: 'rollback',
        source: 'BE',
        subject: 'PRODUCTION',
        severity: 'MAJOR',
        time: at(1),
      },
      {
        specversion: '1.0',
        id: 'l3',
        type: 'deployment',
        source: 'FE',
        subject: 'STAGING',
        time: at(2),
        data: { description: 'new checkout flow' },
      },
      {
        specversion: '1.0',
        id: 'l4',
        type: 'db-migration',
        source: 'DB',
        subject: 'PRODUCTION',
        time: at(3),
        correlationid: 'change-7',
      },
    ]);
  });
  afterAll(() => server.close());

  describe.concurrent('', { timeout: SLOW }, () => {
    it('list prints a table, newest first', async () => {
      const result = await runCli(['events', 'list', '--from', '2025-01-15T00:00:00Z'], env);
      expect(result.code).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0]).toMatch(/^TIME\s+TYPE\s+SOURCE\s+SUBJECT\s+SEVERITY\s+VERSION\s+ID\s+DESCRIPTION$/);
      expect(lines.slice(1).map((l) => l.split(/\s+/)[6])).toEqual(['l4', 'l3', 'l2', 'l1']);
      expect(lines[2]).toMatch(/deployment\s+FE\s+STAGING\s+-\s+-\s+l3\s+new checkout flow$/);
    });

    it('list applies every filter, and --json prints the events', async () => {
      const ids = async (...args: string[]) => {
        const result = await runCli(['events', 'list', '--json', ...args], env);
        expect(result.code).toBe(0);
        return (JSON.parse(result.stdout) as { id: string }[]).map((e) => e.id);
      };
      expect(await ids('--type', 'deployment', '--type', 'rollback')).toEqual(['l3', 'l2', 'l1']);
      expect(await ids('--source', 'BE', '--severity', 'major')).toEqual(['l2']);
      expect(await ids('--subject', 'STAGING')).toEqual(['l3']);
      expect(await ids('--search', 'checkout')).toEqual(['l3']);
      expect(await ids('--subject', 'production', '--source', 'be')).toEqual(['l2', 'l1']);
      expect(await ids('--correlationid', 'change-7')).toEqual(['l4']);
      expect(
        await ids('--from', '2025-01-15T13:01', '--to', '2025-01-15T13:02', '--timezone', 'Europe/Paris'),
      ).toEqual(['l3', 'l2']);
    });

    it('list --limit says when more events match; --all pages through them', async () => {
      const limited = await runCli(['events', 'list', '--limit', '2', '--json'], env);
      expect(JSON.parse(limited.stdout)).toHaveLength(2);
      expect(limited.stderr).toMatch(/more events match: raise --limit or use --all/);
      const all = await runCli(['events', 'list', '--all', '--json', '--type', 'deployment'], env);
      expect(JSON.parse(all.stdout)).toHaveLength(2);
      expect(all.stderr).toBe('');
    });

    it('list rejects a bad filter with the server message', async () => {
      const result = await runCli(['events', 'list', '--from', 'yesterday'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/from: .*\[VALIDATION_ERROR\]/);
    });

    it('get prints one event; an unknown id exits 1 with NOT_FOUND', async () => {
      const found = await runCli(['events', 'get', 'l2'], env);
      expect(found.code).toBe(0);
      expect(JSON.parse(found.stdout)).toMatchObject({ id: 'l2', type: 'rollback', severity: 'MAJOR' });
      const missing = await runCli(['events', 'get', 'nope'], env);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/event "nope" not found.*\[NOT_FOUND\]/);
    });
  });

  it(
    'tail prints new events live and resumes after a dropped connection',
    async () => {
      const proxy = await startTcpProxy(server.url);
      const child = spawnCli(['events', 'tail', '--source', 'LIVE', '--url', proxy.url], env);
      const { waitFor, result } = watch(child);
      try {
        await waitFor('stderr', /following events at/);
        await writer.trackEvent({ type: 'deployment', source: 'LIVE', id: 'live-1', subject: 'PRODUCTION' });
        await writer.trackEvent({ type: 'deployment', source: 'ELSEWHERE', id: 'not-shown' });
        await waitFor('stdout', /live-1/);

        proxy.dropAll();
        await writer.trackEvent({ type: 'rollback', source: 'LIVE', id: 'live-2', severity: 'MAJOR' });
        await waitFor('stdout', /live-2/);
        child.kill('SIGINT');
        const { code, stdout, stderr } = await result;
        expect(code).toBe(0);
        const lines = stdout.trimEnd().split('\n');
        expect(lines).toHaveLength(2);
        expect(lines[0]).toMatch(/deployment {2}LIVE {2}PRODUCTION {2}- {2}- {2}live-1$/);
        expect(lines[1]).toMatch(/rollback {2}LIVE {2}- {2}MAJOR {2}- {2}live-2$/);
        expect(stderr).toMatch(/connection lost .*; reconnecting\nreconnected; resuming/);
      } finally {
        child.kill('SIGKILL');
        await proxy.close();
      }
    },
    SLOW,
  );
});
