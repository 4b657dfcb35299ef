/**
 * Starts a real OpsTrails server on a free port for end-to-end tests, on SQLite (a fresh
 * temporary data dir) or PostgreSQL (a fresh schema, dropped afterwards), and hands out keys.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scope } from '@opstrails/core';
import { loadConfig, type ReactionsOptions, type RunningServer, startServer } from '@opstrails/server';
import pg from 'pg';

export type EngineName = 'sqlite' | 'postgres';

export const PG_URL = process.env.OPSTRAILS_TEST_DATABASE_URL;

/** The engines this run covers: SQLite always, PostgreSQL when OPSTRAILS_TEST_DATABASE_URL is set. */
export const ENGINES: EngineName[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestServer extends RunningServer {
  engine: EngineName;
  dataDir: string;
  /** Settings that point another process (the CLI, a second server) at this server's store. */
  storeEnv: NodeJS.ProcessEnv;
  /** Creates a key in the default organization (or `orgId`). */
  key(scope?: Scope, orgId?: string): Promise<string>;
  /** fetch against the server with a key. */
  api(path: string, init?: RequestInit & { key?: string }): Promise<Response>;
}

export function uniqueSchema(): string {
  return `t_${process.pid}_${randomBytes(4).toString('hex')}`;
}

async function pgAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export const createSchema = (schema: string) => pgAdmin(`create schema if not exists ${schema}`);
export const dropSchema = (schema: string) => pgAdmin(`drop schema if exists ${schema} cascade`);

/** Environment for a child process sharing a store: the data dir, or PostgreSQL with the schema on the search path. */
export function storeEnv(dataDir: string, schema?: string): NodeJS.ProcessEnv {
  if (!schema || !PG_URL) return { OPSTRAILS_DATA_DIR: dataDir, DATABASE_URL: '' };
  const url = new URL(PG_URL);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { OPSTRAILS_DATA_DIR: dataDir, DATABASE_URL: url.toString() };
}

export async function startTestServer(
  engine: EngineName = 'sqlite',
  env: NodeJS.ProcessEnv = {},
  /** Consumers and outbox senders of the test (see reactions/). */
  reactions: ReactionsOptions = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-test-'));
  const schema = engine === 'postgres' ? uniqueSchema() : undefined;
  const config = loadConfig(
    { OPSTRAILS_LOG_LEVEL: 'silent', ...env },
    { host: '127.0.0.1', port: 0, dataDir, databaseUrl: engine === 'postgres' ? PG_URL : undefined },
  );
  const server = await startServer(config, { pgSchema: schema, poolSize: 4 }, reactions);
  return {
    ...server,
    engine,
    dataDir,
    storeEnv: storeEnv(dataDir, schema),
    async key(scope: Scope = 'READ_WRITE', orgId = server.defaultOrg.id) {
      return (await server.store.apiKeys.create(orgId, `test-${scope}`, scope)).key;
    },
    api(path, init = {}) {
      const { key, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (key) headers.set('authorization', `Bearer ${key}`);
      if (rest.body !== undefined && !headers.has('content-type'))
        headers.set('content-type', 'application/json');
      return fetch(`${server.url}${path}`, { ...rest, headers });
    },
    async close() {
      await server.close();
      if (schema) await dropSchema(schema);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
