/** For the health-check tools' tests: the MCP fixture store with two checks and their runs (one up, one down). */

import type { ToolEnv } from '../packages/server/src/mcp/tool.js';
import {
  type CheckRow,
  type CheckSettings,
  HealthCheckRepository,
} from '../packages/server/src/store/health-checks.js';
import { writeTransaction } from '../packages/server/src/store/write-transaction.js';
import { fixtureToolEnv } from './mcp-tool-env.js';

const settings = (name: string, subject: string): CheckSettings => ({
  name,
  url: `http://127.0.0.1:9/${name}`,
  method: 'GET',
  expectedStatus: null,
  expectedBody: null,
  intervalSeconds: 60,
  timeoutSeconds: 10,
  subject,
  source: name.toLowerCase(),
  severity: null,
  paused: false,
});

export async function healthCheckToolEnv(): Promise<{
  env: ToolEnv;
  up: CheckRow;
  down: CheckRow;
  close(): Promise<void>;
}> {
  const { env, close } = await fixtureToolEnv();
  const repo = new HealthCheckRepository(env.store.db);
  const up = await repo.create(env.orgId, settings('Checkout', 'PRODUCTION'), env.now - 3_600_000);
  const down = await repo.create(env.orgId, settings('Search', 'STAGING'), env.now - 3_600_000 + 1);
  const run = (check: CheckRow, minutesAgo: number, ok: boolean, incident: string | null) =>
    writeTransaction(
      env.store.db,
      env.store.engine,
    )((trx) =>
      new HealthCheckRepository(trx).record(
        check,
        { at: env.now - minutesAgo * 60_000, ok, status: ok ? 200 : 503, ms: ok ? 40 + minutesAgo : 5 },
        {
          status: ok ? 'up' : 'down',
          failures: ok ? 0 : 2,
          incident,
          lastError: ok ? null : 'HTTP 503 (expected 2xx)',
        },
      ),
    );
  for (const m of [30, 20, 10]) await run(up, m, true, null);
  await run(down, 20, true, null);
  await run(down, 10, false, null);
  await run(down, 5, false, `check:${down.id}:${env.now - 5 * 60_000}`);
  return {
    env,
    up: (await repo.get(env.orgId, up.id)) as CheckRow,
    down: (await repo.get(env.orgId, down.id)) as CheckRow,
    close,
  };
}
