/**
 * `opstrails backup` under write load and `opstrails restore`: the backup is a consistent
 * snapshot (exactly the events committed before some instant, every field equal), restore
 * refuses an existing store without --force, and a PostgreSQL store is sent to pg_dump.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PG_URL, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { buildCli, runCli } from './cli-process.js';

const scratch = mkdtempSync(join(tmpdir(), 'opstrails-backup-'));

function rows(file: string) {
  const db = new SQLite(file, { readonly: true });
  try {
    return db
      .prepare(
        'select seq, org_id, id, source, type, subject, severity, version, time, data from events order by seq',
      )
      .all() as { seq: number }[];
  } finally {
    db.close();
  }
}

describe('backup and restore of the SQLite store', () => {
  let server: TestServer;
  beforeAll(async () => {
    await buildCli();
    server = await startTestServer('sqlite');
  }, 120_000);
  afterAll(async () => {
    await server.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('a backup taken while the server writes restores to a snapshot equal event by event', async () => {
    const key = await server.key('READ_WRITE');
    let writing = true;
    let batch = 0;
    const writer = (async () => {
      while (writing) {
        const events = Array.from({ length: 50 }, (_, i) => ({
          specversion: '1.0',
          type: 'deployment',
          source: 'BE',
          time: 'NOW',
          id: `b${batch}-${i}`,
          data: { description: `batch ${batch} event ${i}` },
        }));
        const res = await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(events) });
        expect(res.status).toBe(200);
        batch++;
      }
    })();
    while (batch < 5) await new Promise((r) => setTimeout(r, 20));

    const file = join(scratch, 'backup.db');
    const backup = await runCli(['backup', file], server.storeEnv as Record<string, string>);
    const batchesAtBackup = batch;
    expect(backup.code, backup.stderr).toBe(0);
    expect(backup.stderr).toContain(`to ${file}`);
    while (batch < batchesAtBackup + 3) await new Promise((r) => setTimeout(r, 20));
    writing = false;
    await writer;

    const restoredDir = join(scratch, 'restored');
    const restore = await runCli(['restore', file, '--data-dir', restoredDir]);
    expect(restore.code, restore.stderr).toBe(0);

    const live = rows(join(server.dataDir, 'opstrails.db'));
    const restored = rows(join(restoredDir, 'opstrails.db'));
    expect(restored.length).toBeGreaterThanOrEqual(5 * 50);
    expect(restored.length).toBeLessThan(live.length);
    // A consistent snapshot: exactly the first N events in commit order, each field equal.
    expect(restored).toEqual(live.slice(0, restored.length));
  }, 180_000);

  it('restore refuses to overwrite an existing store without --force, and names the fix', async () => {
    const file = join(scratch, 'second.db');
    expect((await runCli(['backup', file], server.storeEnv as Record<string, string>)).code).toBe(0);
    const again = await runCli(['backup', file], server.storeEnv as Record<string, string>);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('exists; choose another file or pass --force');

    const refused = await runCli(['restore', file], server.storeEnv as Record<string, string>);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('pass --force');

    const notABackup = join(scratch, 'empty.db');
    new SQLite(notABackup).close();
    const wrong = await runCli(['restore', notABackup, '--data-dir', join(scratch, 'x')]);
    expect(wrong.stderr).toContain('is not an OpsTrails SQLite backup');

    const forced = await runCli(['restore', file, '--force'], server.storeEnv as Record<string, string>);
    expect(forced.code, forced.stderr).toBe(0);
    expect((await server.api('/healthz')).status).toBe(200);
  }, 120_000);

  it.skipIf(!PG_URL)('on PostgreSQL, backup points at pg_dump', async () => {
    const result = await runCli(['backup', join(scratch, 'pg.db')], { DATABASE_URL: PG_URL as string });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('this store is PostgreSQL; back it up with pg_dump -Fc');
  });
});
