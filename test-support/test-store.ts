/**
 * A store of its own for one describe block on one engine, without a server: a temporary data
 * directory (SQLite) or a fresh schema (PostgreSQL), opened before the block's tests with its
 * default organization, closed and removed after them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { openStore, type Store } from '../packages/server/src/store/store.js';
import { dropSchema, type EngineName, PG_URL, uniqueSchema } from './test-server.js';

export interface SuiteStore {
  /** Set once the block's tests run (its `beforeAll` hooks registered after this call included). */
  store: Store;
  /** The default organization's id. */
  orgId: string;
}

/** Call inside `describe`; `name` names the temporary directory. */
export function storeForSuite(engine: EngineName, name: string): SuiteStore {
  const dataDir = mkdtempSync(join(tmpdir(), `opstrails-${name}-`));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  const suite = {} as SuiteStore;
  beforeAll(async () => {
    suite.store = await openStore({
      dataDir,
      databaseUrl: engine === 'postgres' ? PG_URL : undefined,
      pgSchema: schema,
    });
    suite.orgId = (await suite.store.organizations.ensureDefault()).id;
  });
  afterAll(async () => {
    await suite.store?.close();
    if (schema) await dropSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });
  return suite;
}
