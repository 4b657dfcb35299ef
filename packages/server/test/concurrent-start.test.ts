/**
 * Upgrades (docs/operations.md): three servers started at the same moment on one empty
 * PostgreSQL schema all come up; the migrations ran once and the default organization exists once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createSchema, dropSchema, PG_URL, uniqueSchema } from '../../../test-support/test-server.js';
import { loadConfig, type RunningServer, startServer } from '../src/index.js';

describe.skipIf(!PG_URL)('three instances starting at once on an empty PostgreSQL schema', () => {
  const schema = uniqueSchema();
  const servers: RunningServer[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-start-'));
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
    await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('all start; every migration is applied once; one default organization', async () => {
    await createSchema(schema);
    const config = loadConfig(
      { OPSTRAILS_LOG_LEVEL: 'silent' },
      { host: '127.0.0.1', port: 0, dataDir, databaseUrl: PG_URL },
    );
    const started = await Promise.allSettled(
      [1, 2, 3].map(() => startServer(config, { pgSchema: schema, poolSize: 2 })),
    );
    for (const s of started) if (s.status === 'fulfilled') servers.push(s.value);
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'ok'))).toEqual([
      'ok',
      'ok',
      'ok',
    ]);
    for (const server of servers) expect((await fetch(`${server.url}/healthz`)).status).toBe(200);

    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      const migrations = await client.query(`select name from ${schema}.kysely_migration order by name`);
      const names = migrations.rows.map((r) => r.name as string);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toContain('017-operators');
      const orgs = await client.query(
        `select count(*)::int as n from ${schema}.organizations where slug = 'default'`,
      );
      expect(orgs.rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
  }, 120_000);
});
