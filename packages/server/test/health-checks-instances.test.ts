/**
 * Health checks with two server instances on one PostgreSQL: each due run is made by exactly one
 * of them, whether both schedules tick on their own or both are asked to run the same due
 * check at the same moment many times over.
 */
import { loadConfig, type RunningServer, startServer } from '@opstrails/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HealthTarget, startHealthTarget } from '../../../test-support/health-target.js';
import { PG_URL, startTestServer, type TestServer } from '../../../test-support/test-server.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Loose = any;

describe.skipIf(!PG_URL)('health checks across two instances on one PostgreSQL', () => {
  let first: TestServer;
  let second: RunningServer;
  let target: HealthTarget;
  let admin: string;

  beforeAll(async () => {
    target = await startHealthTarget();
    const env = { OPSTRAILS_LOG_LEVEL: 'silent', OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' };
    first = await startTestServer('postgres', env);
    const options = new URL(first.storeEnv.DATABASE_URL as string).searchParams.get('options') ?? '';
    const schema = /search_path=(\S+)/.exec(options)?.[1];
    const config = loadConfig(env, {
      host: '127.0.0.1',
      port: 0,
      dataDir: first.dataDir,
      databaseUrl: PG_URL,
    });
    second = await startServer(config, { pgSchema: schema, poolSize: 4 });
    admin = await first.key('ADMIN');
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    await first?.close();
    await target?.close();
  });

  const check = async (id: string) =>
    ((await (await first.api(`/api/v1/checks/${id}?limit=1000`, { key: admin })).json()) as Loose).data;
  const create = async (name: string) =>
    (
      (await (
        await first.api('/api/v1/checks', {
          method: 'POST',
          key: admin,
          body: JSON.stringify({
            name,
            url: `${target.url}?${name}`,
            intervalSeconds: 10,
            subject: 'PRODUCTION',
            source: 'shop',
          }),
        })
      ).json()) as Loose
    ).data;
  const hits = (name: string) => target.requests.filter((r) => r.query.has(name)).length;

  it('runs a due check once when both instances are asked at the same moment, again and again', async () => {
    const { id } = await create('raced');
    // A new check is due at once, so either schedule may tick first: take that first run here
    // (only one of the two can), so the rounds below are the only runs for the next 10 s.
    await Promise.all([first.healthChecks.runDue(), second.healthChecks.runDue()]);
    await expect.poll(async () => (await check(id)).history.length, { timeout: 10_000 }).toBe(1);
    expect(hits('raced')).toBe(1);
    for (let round = 0; round < 5; round++) {
      const due = Date.parse((await check(id)).nextRunAt);
      const ran = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? first : second).healthChecks.runDue(due)),
      );
      expect(ran.reduce((a, b) => a + b, 0)).toBe(1);
    }
    const detail = await check(id);
    expect(detail.history).toHaveLength(6);
    expect(hits('raced')).toBe(6);
    await first.api(`/api/v1/checks/${id}`, { method: 'DELETE', key: admin });
  }, 60_000);

  it('both schedules ticking make each run once, an interval apart', async () => {
    const { id } = await create('ticking');
    await expect
      .poll(async () => (await check(id)).history.length, { timeout: 60_000, interval: 500 })
      .toBeGreaterThanOrEqual(2);
    await first.api(`/api/v1/checks/${id}`, {
      method: 'PATCH',
      key: admin,
      body: JSON.stringify({ paused: true }),
    });
    // Every request the target took is one recorded run (a run in flight when paused records soon): none was made twice.
    await expect.poll(async () => (await check(id)).history.length).toBe(hits('ticking'));
    const history = (await check(id)).history as { time: string }[];
    const times = history.map((h) => Date.parse(h.time)).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++)
      expect((times[i] as number) - (times[i - 1] as number)).toBeGreaterThanOrEqual(10_000);
  }, 90_000);
});
