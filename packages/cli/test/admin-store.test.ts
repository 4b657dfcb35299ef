/**
 * Admin commands say which store they used, and say plainly when they had to create it, so a
 * key made in the wrong place does not look like a server bug. On every engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, startServer } from '@opstrails/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSchema,
  dropSchema,
  ENGINES,
  type EngineName,
  startTestServer,
  storeEnv,
  type TestServer,
  uniqueSchema,
} from '../../../test-support/test-server.js';
import { buildCli, runCli } from './cli-process.js';

const event = { specversion: '1.0', type: 'deployment', source: 'BE', time: 'NOW' };
const POINT_AT =
  'if your server uses another, point at it with --data-dir, OPSTRAILS_DATA_DIR or DATABASE_URL';
const ENGINE_NAME: Record<EngineName, string> = { sqlite: 'SQLite', postgres: 'PostgreSQL' };

/** The settings of a store nobody has used yet: an empty data dir, or an empty PostgreSQL schema. */
async function freshStore(engine: EngineName) {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-admin-store-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  if (schema) await createSchema(schema);
  return {
    dataDir,
    env: storeEnv(dataDir, schema) as Record<string, string>,
    async remove() {
      if (schema) await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

describe.each(ENGINES)('admin commands name their store on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    await buildCli();
    server = await startTestServer(engine);
  });
  afterAll(() => server.close());

  it("say on stderr which store they used: the running server's", async () => {
    const created = await runCli(
      ['keys', 'create', '--scope', 'READ_WRITE'],
      server.storeEnv as Record<string, string>,
    );
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^ot_\S+\n$/);
    const [first] = created.stderr.split('\n');
    if (engine === 'sqlite')
      expect(first).toBe(`using the store at ${join(server.dataDir, 'opstrails.db')} (SQLite)`);
    else expect(first).toMatch(/^using the store at postgres(ql)?:\/\/\S+ \(PostgreSQL\)$/);
    expect(created.stderr).not.toContain('created a new, empty store');
  });

  it('say plainly when they had to create the store, and a key made before the first start works', async () => {
    const fresh = await freshStore(engine);
    try {
      const created = await runCli(['keys', 'create', '--scope', 'READ_WRITE', '--name', 'early'], fresh.env);
      expect(created.code).toBe(0);
      const [first] = created.stderr.split('\n');
      expect(first).toMatch(new RegExp(`^created a new, empty store at .* \\(${ENGINE_NAME[engine]}\\); `));
      expect(first?.endsWith(POINT_AT)).toBe(true);
      if (engine === 'sqlite') expect(first).toContain(join(fresh.dataDir, 'opstrails.db'));

      const listed = await runCli(['keys', 'list'], fresh.env);
      expect(listed.stderr).toMatch(/^using the store at /);
      expect(listed.stdout).toContain('early');

      // The server started on that store afterwards takes the key.
      const config = loadConfig(
        { OPSTRAILS_LOG_LEVEL: 'silent' },
        {
          host: '127.0.0.1',
          port: 0,
          dataDir: fresh.dataDir,
          databaseUrl: engine === 'postgres' ? fresh.env.DATABASE_URL : undefined,
        },
      );
      const later = await startServer(config);
      try {
        const res = await fetch(`${later.url}/api/v1/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${created.stdout.trim()}`, 'content-type': 'application/json' },
          body: JSON.stringify(event),
        });
        expect(res.status).toBe(201);
      } finally {
        await later.close();
      }
    } finally {
      await fresh.remove();
    }
  });
});
