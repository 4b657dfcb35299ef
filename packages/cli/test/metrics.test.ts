/** `opstrails metrics send|import` as child processes against a real server: points stored, bad lines named, progress and summary. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli, runCli } from './cli-process.js';

const SLOW = 90_000;
// Yesterday 00:00 UTC: inside the raw retention (8 days), so the server's hourly roll-up, which
// may run during the test, leaves these points as written.
const T0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000;

describe('opstrails metrics', () => {
  let server: TestServer;
  let env: Record<string, string>;
  let reader: string;
  const dir = mkdtempSync(join(tmpdir(), 'opstrails-metrics-cli-'));

  beforeAll(async () => {
    await buildCli();
    server = await startTestServer('sqlite');
    env = { OPSTRAILS_URL: server.url, OPSTRAILS_API_KEY: await server.key('READ_WRITE') };
    reader = await server.key('READ_ONLY');
  });
  afterAll(() => server.close());

  const points = async (metric: string, subject: string, from: number, to: number, extra = '') => {
    const res = await server.api(
      `/api/v1/metrics/series?metric=${metric}&subject=${subject}&from=${new Date(from).toISOString()}&to=${new Date(to).toISOString()}${extra}`,
      { key: reader },
    );
    return ((await res.json()) as { data: { points: { time: string; value: number }[] } }).data.points;
  };

  it(
    'send stores one point and refuses a bad value with the field named',
    async () => {
      const ok = await runCli(
        [
          'metrics',
          'send',
          '--metric',
          'error_rate',
          '--subject',
          'PRODUCTION',
          '--value',
          '0.25',
          '--time',
          String(T0 / 1000),
        ],
        env,
      );
      expect(ok.stderr).toBe('');
      expect(ok.code).toBe(0);
      expect(ok.stdout).toContain('stored error_rate = 0.25 for PRODUCTION');
      expect(await points('error_rate', 'PRODUCTION', T0, T0 + 60_000)).toEqual([
        { time: new Date(T0).toISOString(), value: 0.25 },
      ]);
      const bad = await runCli(
        ['metrics', 'send', '--metric', 'error rate', '--subject', 'P', '--value', '1'],
        env,
      );
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/metric: "error rate" is not a metric name/);
      const nan = await runCli(
        ['metrics', 'send', '--metric', 'm', '--subject', 'P', '--value', 'high'],
        env,
      );
      expect(nan.code).toBe(1);
      expect(nan.stderr).toMatch(/--value: "high" is not a finite number/);
    },
    SLOW,
  );

  it(
    'imports a CSV in batches with a progress line off a terminal and a summary, naming bad lines',
    async () => {
      const rows = ['metric,subject,source,time,value'];
      for (let i = 0; i < 2_500; i++)
        rows.push(`latency_p95,PRODUCTION,"checkout, api",${T0 / 1000 + i * 60},${i}`);
      rows.push(
        'latency_p95,PRODUCTION,,not-a-time,1',
        'latency_p95,PRODUCTION,,2026-02-01T00:00:00Z,"12,5"',
      );
      const file = join(dir, 'points.csv');
      writeFileSync(file, `${rows.join('\r\n')}\r\n`);
      const result = await runCli(['metrics', 'import', file, '--batch-size', '1000'], {
        ...env,
        OPSTRAILS_PROGRESS_SECONDS: '0.001',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/imported [\d,]+ points .* so far \(\d+% of the file\)/);
      const quiet = result.stderr
        .split('\n')
        .filter((l) => !l.includes('so far'))
        .join('\n');
      expect(quiet).toMatch(/line 2502: time: /);
      expect(result.stderr).toMatch(/line 2503: value: /);
      expect(result.stderr).toMatch(/2,502 points sent: 2,500 stored, 2 rejected/);
      expect(result.stderr).toMatch(/2 points rejected/);
      const stored = await points(
        'latency_p95',
        'PRODUCTION',
        T0,
        T0 + 3 * 60_000,
        '&source=checkout,%20api',
      );
      expect(stored.map((p) => p.value)).toEqual([0, 1, 2]);
    },
    SLOW,
  );

  it(
    'imports NDJSON from stdin, and a re-run keeps one value per point',
    async () => {
      const lines = [0, 1, 2].map((i) =>
        JSON.stringify({
          metric: 'queue_depth',
          subject: 'STAGING',
          time: new Date(T0 + i * 60_000).toISOString(),
          value: i * 10,
        }),
      );
      const input = `${lines.join('\n')}\nnot json\n`;
      for (let run = 0; run < 2; run++) {
        const result = await runCli(['metrics', 'import', '-', '--format', 'ndjson'], env, input);
        expect(result.code).toBe(1);
        expect(result.stderr).toMatch(/line 4: not JSON/);
        expect(result.stderr).toMatch(/4 points sent: 3 stored, 1 rejected/);
      }
      const res = await server.api(
        `/api/v1/metrics/series?metric=queue_depth&subject=STAGING&from=${new Date(T0).toISOString()}&to=${new Date(T0 + 180_000).toISOString()}&aggregate=count`,
        { key: reader },
      );
      const counted = ((await res.json()) as { data: { points: { value: number }[] } }).data.points;
      expect(counted.map((p) => p.value)).toEqual([1, 1, 1]);
    },
    SLOW,
  );

  it(
    'refuses a CSV whose header does not name the columns',
    async () => {
      const file = join(dir, 'bad.csv');
      writeFileSync(file, 'name,env,when,val\nm,P,NOW,1\n');
      const result = await runCli(['metrics', 'import', file], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(
        /line 1: the CSV header must name the columns metric, subject, time, value/,
      );
    },
    SLOW,
  );
});
