/**
 * More periodic jobs than pooled connections: each run holds a connection for its lock while the
 * job queries through others, so runs in one process go one at a time and every job still runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { openStore, type Store } from '../store/store.js';
import { schedulePeriodic } from './scheduler.js';

describe.each(ENGINES)('periodic jobs beyond the pool size on %s', (engine) => {
  let store: Store;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-scheduler-pool-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;

  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
      poolSize: 2,
    });
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs four jobs that each query the store, with two connections', async () => {
    const ran: string[] = [];
    const errors: unknown[] = [];
    const stops = ['a', 'b', 'c', 'd'].map((name) =>
      schedulePeriodic(
        store,
        {
          name: `pool-${name}`,
          everyMs: 3_600_000,
          run: async () => {
            await store.organizations.list();
            ran.push(name);
          },
        },
        (error) => errors.push(error),
      ),
    );
    await expect.poll(() => ran.length, { timeout: 10_000 }).toBe(4);
    await Promise.all(stops.map((stop) => stop()));
    expect(ran.sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(errors).toEqual([]);
  });
});
