/**
 * Periodic jobs: on PostgreSQL, instances sharing a store run a job once per period (one holds
 * the advisory lock, the others skip; a finished run is not repeated within the period); on
 * SQLite the one process runs it every time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { openStore, type Store } from '../store/store.js';
import { schedulePeriodic } from './scheduler.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 1);

describe.each(ENGINES)('periodic jobs on %s', (engine) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-jobs-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  const options = { dataDir, databaseUrl: engine === 'postgres' ? PG_URL : undefined, pgSchema: schema };
  /** Three instances' stores on the one database (on SQLite, one store: one process). */
  let stores: Store[] = [];

  beforeAll(async () => {
    stores = [await openStore(options)];
    if (engine === 'postgres') stores.push(await openStore(options), await openStore(options));
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs a job once per period however many instances try it at once', async () => {
    let runs = 0;
    let inside = 0;
    const job = async () => {
      inside++;
      // Long enough for every other instance to try while this one runs.
      await new Promise((r) => setTimeout(r, 100));
      expect(inside).toBe(1);
      inside--;
      runs++;
    };
    const tryAll = (now: number) =>
      Promise.all(stores.map((s) => s.jobRuns.runExclusive('prune', HOUR, job, now)));

    expect((await tryAll(T0)).filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    if (engine === 'postgres') {
      // Within the period nobody runs it again; once it is over, one instance does.
      expect((await tryAll(T0 + HOUR / 2)).filter(Boolean)).toHaveLength(0);
      expect((await tryAll(T0 + HOUR)).filter(Boolean)).toHaveLength(1);
      expect(runs).toBe(2);
    }
    expect(await stores[0]?.jobRuns.lastRun('prune')).toBe(engine === 'postgres' ? T0 + HOUR : T0);
  });

  it('schedules a job now and on its period, never overlapping itself; stopping waits for a run in progress', async () => {
    let runs = 0;
    let finished = false;
    const stop = schedulePeriodic(
      stores[0] as Store,
      {
        name: 'tick',
        everyMs: 20,
        run: async () => {
          runs++;
          await new Promise((r) => setTimeout(r, 150));
          finished = true;
        },
      },
      (error) => {
        throw error;
      },
    );
    await new Promise((r) => setTimeout(r, 100));
    await stop();
    expect(finished).toBe(true);
    expect(runs).toBe(1);
  });
});
