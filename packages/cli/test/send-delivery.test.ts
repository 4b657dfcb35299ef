/**
 * `opstrails send` with the delivery-metrics flags, as a child process against a real server:
 * --commits (JSON or @file), --git-commits (git log of a range, here in a scratch repository),
 * --commit-time and --caused-by land where the DORA computation reads them; bad values are
 * refused before sending, naming the flag.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpsTrailsClient } from '@opstrails/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli, runCli } from './cli-process.js';

const SLOW = 90_000;

/** A scratch repository with three commits at known committer dates. */
function scratchRepository(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opstrails-git-'));
  const git = (args: string[], date?: string) =>
    execFileSync('git', args, {
      cwd: dir,
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 'Dev',
        GIT_AUTHOR_EMAIL: 'dev@example.com',
        GIT_COMMITTER_NAME: 'Dev',
        GIT_COMMITTER_EMAIL: 'dev@example.com',
        ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}),
      },
      encoding: 'utf8',
    });
  git(['init', '-q', '-b', 'main']);
  for (const [i, date] of [
    '2026-11-20T09:00:00Z',
    '2026-11-23T10:00:00Z',
    '2026-11-24T08:00:00Z',
  ].entries()) {
    writeFileSync(join(dir, 'file.txt'), `${i}\n`);
    git(['add', 'file.txt']);
    git(['commit', '-q', '-m', `Change ${i}\n\nbody ${i}`], date);
    if (i === 0) git(['tag', 'v1']);
  }
  return join(dir, '.git');
}

describe.each(ENGINES)('opstrails send delivery flags on %s', (engine) => {
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
    it('--git-commits reads the range from git log: sha, committer time and subject of each commit', async () => {
      const gitDir = scratchRepository();
      const deploy = ['send', '--type', 'deployment', '--source', 'BE', '--subject', 'PRODUCTION'];
      const result = await runCli(
        [...deploy, '--id', 'cli-git', '--time', '2026-11-24T12:00:00Z', '--git-commits', 'v1..main'],
        { ...env, GIT_DIR: gitDir },
      );
      expect(result).toMatchObject({ code: 0, stdout: 'cli-git\n' });
      const stored = await reader.getEvent('cli-git');
      expect(stored.data?.commits).toEqual([
        {
          sha: expect.stringMatching(/^[0-9a-f]{40}$/),
          time: '2026-11-24T08:00:00+00:00',
          message: 'Change 2',
        },
        {
          sha: expect.stringMatching(/^[0-9a-f]{40}$/),
          time: '2026-11-23T10:00:00+00:00',
          message: 'Change 1',
        },
      ]);
      const outside = await runCli([...deploy, '--git-commits', 'nosuchref..main'], {
        ...env,
        GIT_DIR: gitDir,
      });
      expect(outside.code).toBe(1);
      expect(outside.stderr).toMatch(
        /--git-commits nosuchref\.\.main: git log failed \(.*\); run it inside the repository/,
      );
    });

    it('--commits, --commit-time and --caused-by', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'opstrails-commits-'));
      writeFileSync(
        join(dir, 'commits.json'),
        JSON.stringify([{ sha: 'abc1234', time: '2026-11-24T10:02:00Z' }]),
      );
      const fromFile = await runCli(
        [
          'send',
          '--type',
          'deployment',
          '--source',
          'BE',
          '--id',
          'cli-file',
          '--commits',
          `@${join(dir, 'commits.json')}`,
        ],
        env,
      );
      expect(fromFile.code).toBe(0);
      expect((await reader.getEvent('cli-file')).data).toEqual({
        commits: [{ sha: 'abc1234', time: '2026-11-24T10:02:00Z' }],
      });
      const timed = await runCli(
        [
          'send',
          '--type',
          'deployment',
          '--source',
          'BE',
          '--id',
          'cli-time',
          '--commit-time',
          '2026-11-24T09:00:00Z',
          '--data',
          '{"a":1}',
        ],
        env,
      );
      expect(timed.code).toBe(0);
      expect((await reader.getEvent('cli-time')).data).toEqual({ a: 1, commitTime: '2026-11-24T09:00:00Z' });
      const incident = await runCli(
        [
          'send',
          '--type',
          'incident',
          '--source',
          'pagerduty',
          '--id',
          'cli-inc',
          '--caused-by',
          'cli-file',
          '--json',
        ],
        env,
      );
      expect(incident.code).toBe(0);
      expect(JSON.parse(incident.stdout)).toMatchObject({ id: 'cli-inc', causationid: 'cli-file' });
    });

    it('refuses bad commit lists before sending, naming the flag and the fix', async () => {
      const send = (flags: string[]) =>
        runCli(['send', '--type', 'deployment', '--source', 'BE', ...flags], env);
      for (const [flags, message] of [
        [['--commits', '{"sha":"a"}'], /^opstrails: --commits: must be a JSON list, e\.g\. --commits '\[/],
        [['--commits', '[{'], /^opstrails: --commits: not valid JSON/],
        [
          ['--commits', '[{"sha":"a","time":"soon"}]'],
          /^opstrails: --commits: commits\[0\]\.time: "soon" is not a time/,
        ],
        [
          ['--commits', '[{"time":"2026-11-24T10:02:00Z"}]'],
          /^opstrails: --commits: commits\[0\]\.sha: is required/,
        ],
        [['--commit-time', 'later'], /^opstrails: --commit-time: "later" is not a time/],
        [
          ['--commits', '[]', '--git-commits', 'HEAD'],
          /^opstrails: --commits and --git-commits: give one of them, not both/,
        ],
      ] as const) {
        const result = await send([...flags]);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(message);
      }
    });
  });
});
