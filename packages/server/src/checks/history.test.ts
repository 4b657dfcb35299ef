import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, ENGINES, PG_URL, uniqueSchema } from '../../../../test-support/test-server.js';
import { applyRetention } from '../jobs/retention.js';
import { HealthCheckRepository } from '../store/health-checks.js';
import { openStore, type Store } from '../store/store.js';
import { writeTransaction } from '../store/write-transaction.js';
import { HISTORY_KEEP_DAYS } from './history.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 22);

describe.each(ENGINES)('health-check history retention on %s', (engine) => {
  let store: Store;
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-check-history-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  beforeAll(async () => {
    store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
  });
  afterAll(async () => {
    await store.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const checkWithRuns = async (orgId: string, daysAgo: number[]) => {
    const repo = new HealthCheckRepository(store.db);
    const check = await repo.create(
      orgId,
      {
        name: 'API',
        url: 'http://127.0.0.1:9/health',
        method: 'GET',
        expectedStatus: null,
        expectedBody: null,
        intervalSeconds: 60,
        timeoutSeconds: 10,
        subject: 'PRODUCTION',
        source: 'api',
        severity: null,
        paused: true,
      },
      NOW - 60 * DAY,
    );
    for (const d of daysAgo)
      await writeTransaction(
        store.db,
        store.engine,
      )((trx) =>
        new HealthCheckRepository(trx).record(
          check,
          { at: NOW - d * DAY, ok: true, status: 200, ms: 12 },
          { status: 'up', failures: 0, incident: null, lastError: null },
        ),
      );
    return check;
  };
  const kept = async (checkId: string) =>
    (await new HealthCheckRepository(store.db).history(checkId, 0, 1000)).map((r) =>
      Math.round((NOW - r.at) / DAY),
    );

  it(`keeps ${HISTORY_KEEP_DAYS} days on the unlimited plan, and what a shorter plan keeps on another`, async () => {
    const unlimited = await store.organizations.ensureDefault();
    const onUnlimited = await checkWithRuns(unlimited.id, [1, 6, 29, 31, 45]);
    const free = await store.organizations.create('small', 'Small', 'free');
    const onFree = await checkWithRuns(free.id, [1, 6, 8, 29]);
    await applyRetention(store, NOW);
    expect(await kept(onUnlimited.id)).toEqual([1, 6, 29]);
    expect(await kept(onFree.id)).toEqual([1, 6]);
  });
});
