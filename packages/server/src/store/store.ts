/**
 * The one Store: repositories over a Kysely database that is either embedded SQLite
 * (better-sqlite3, WAL) or PostgreSQL (pg). Nothing outside `store/` touches tables.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { ApiKeyRepository } from './api-keys.js';
import { ConsumerCursorRepository } from './consumer-cursors.js';
import type { Engine } from './engine.js';
import { EventLog } from './event-log.js';
import { kyselyTransact, sqliteTransact, type Transact } from './event-write-ops.js';
import { EventRepository } from './events.js';
import { InviteRepository } from './invites.js';
import { JobRunRepository } from './job-runs.js';
import { LoginAttemptRepository } from './login-attempts.js';
import { MembershipRepository } from './memberships.js';
import { migrateToLatest } from './migrations/index.js';
import { OAuthRepository } from './oauth.js';
import { OrganizationRepository } from './organizations.js';
import { OutboxRepository } from './outbox.js';
import type { Database } from './schema.js';
import { SessionRepository } from './sessions.js';
import { startCheckpointer } from './sqlite-checkpointer.js';
import { ReaderPool, readerKysely } from './sqlite-readers.js';
import { withStatementCache } from './statement-cache.js';
import { UsageRepository } from './usage.js';
import { UserRepository } from './users.js';
import { writeTransaction } from './write-transaction.js';

export interface Store {
  readonly engine: Engine;
  /** Where the data lives, for humans: the SQLite file path or the PostgreSQL URL without password. */
  readonly location: string;
  readonly db: Kysely<Database>;
  /**
   * Where reads that can be slow run, so they never hold up ingest and short requests: on SQLite
   * a pool of reader threads with read-only connections, off the event loop (sqlite-readers.ts;
   * `db` itself with no reader threads); on PostgreSQL a connection pool of their own. Never for
   * a read that must see a write of its own uncommitted transaction.
   */
  readonly readDb: Kysely<Database>;
  readonly events: EventRepository;
  /** The events in log order, for consumers and the live feed (see event-log.ts). */
  readonly log: EventLog;
  readonly organizations: OrganizationRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly usage: UsageRepository;
  readonly users: UserRepository;
  readonly memberships: MembershipRepository;
  readonly sessions: SessionRepository;
  readonly invites: InviteRepository;
  readonly loginAttempts: LoginAttemptRepository;
  /** OAuth clients, grants, codes and tokens of remote MCP clients. */
  readonly oauth: OAuthRepository;
  /** Reactions (see reactions/): consumer cursors, the outbox, periodic job runs. */
  readonly consumerCursors: ConsumerCursorRepository;
  readonly outbox: OutboxRepository;
  readonly jobRuns: JobRunRepository;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL schema to use (created when missing); tests give each run its own. */
  pgSchema?: string;
  /** Pool size on PostgreSQL. */
  poolSize?: number;
  /** SQLite: checkpoint the WAL from a worker thread (long-running servers; see sqlite-checkpointer.ts). */
  backgroundCheckpoints?: boolean;
  /** SQLite: reader threads for slow reads (`readDb`); 0 (the default) reads on the main connection. */
  sqliteReaders?: number;
  /**
   * SQLite: `full` (the default) fsyncs the WAL at every commit, so an acknowledged write survives
   * power loss; `normal` survives a crash of the process only.
   */
  sqliteSync?: SqliteSync;
  /** Upgrading a store that has data: hears of each migration before it runs and how long it took (minutes, on millions of events). */
  onUpgradeStep?: (line: string) => void;
}

export type SqliteSync = 'full' | 'normal';

export const SQLITE_FILE = 'opstrails.db';

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres (unparseable URL)';
  }
}

interface Opened {
  db: Kysely<Database>;
  readDb?: Kysely<Database>;
  location: string;
  transact: Transact;
  /** Work to stop before the database closes. */
  stop?: () => Promise<void>;
}

function openSqlite(dataDir: string, options: StoreOptions): Opened {
  mkdirSync(dataDir, { recursive: true });
  const location = join(dataDir, SQLITE_FILE);
  const database = new SQLite(location);
  // WAL lets the CLI, a running server and its reader threads share the file. FULL syncs the WAL
  // to disk at every commit (group commit shares one sync among concurrent inserts); NORMAL
  // still survives a crash of the process, since a committed transaction is in the WAL file
  // before the answer is sent, but not a power loss.
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.sqliteSync === 'normal' ? 'NORMAL' : 'FULL'}`);
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
  // Gathers planner statistics where they are missing or stale, so filters pick the selective index.
  database.pragma('optimize = 0x10002');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  const stopCheckpoints = options.backgroundCheckpoints ? startCheckpointer(database, location) : undefined;
  const readers = options.sqliteReaders ?? 0;
  const readDb = readers > 0 ? readerKysely(new ReaderPool(location, readers)) : undefined;
  const stop = async () => {
    await readDb?.destroy();
    await stopCheckpoints?.();
  };
  return { db, readDb, location, transact: sqliteTransact(db, database), stop };
}

function openPostgres(url: string, schema: string | undefined, poolSize: number): Opened {
  const connect = (max: number) =>
    new Kysely<Database>({
      dialect: new PostgresDialect({
        pool: new pg.Pool({
          connectionString: url,
          max,
          ...(schema ? { options: `-c search_path=${schema}` } : {}),
        }),
      }),
    });
  const db = connect(poolSize);
  // Reads that can be slow get connections of their own (half as many), so a burst of exports
  // or searches never holds every connection that ingest and health checks wait for.
  const readDb = connect(Math.max(1, Math.ceil(poolSize / 2)));
  return { db, readDb, location: redactUrl(url), transact: kyselyTransact(db), stop: () => readDb.destroy() };
}

/**
 * The schema the store's tables live in: the one asked for, or the connection's current schema
 * (the first of its search_path, which DATABASE_URL may set with `?options=-c search_path=…`).
 */
async function pgSchemaOf(db: Kysely<Database>, asked: string | undefined): Promise<string | undefined> {
  if (asked) return asked;
  const { rows } = await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? undefined;
}

/** Opens the configured store and brings its schema up to date. */
export async function openStore(options: StoreOptions): Promise<Store> {
  const engine: Engine = options.databaseUrl ? 'postgres' : 'sqlite';
  if (engine === 'postgres' && options.pgSchema && !/^[a-z_][a-z0-9_]*$/.test(options.pgSchema)) {
    throw new Error(
      `PostgreSQL schema name "${options.pgSchema}" must be lowercase letters, digits and underscores`,
    );
  }
  const {
    db,
    readDb = db,
    location,
    transact,
    stop,
  } = engine === 'postgres'
    ? openPostgres(options.databaseUrl as string, options.pgSchema, options.poolSize ?? 10)
    : openSqlite(options.dataDir, options);
  try {
    if (engine === 'postgres' && options.pgSchema)
      await db.schema.createSchema(options.pgSchema).ifNotExists().execute();
    await migrateToLatest(
      db as Kysely<unknown>,
      engine,
      engine === 'postgres' ? await pgSchemaOf(db, options.pgSchema) : undefined,
      options.onUpgradeStep,
    );
  } catch (error) {
    await stop?.();
    await db.destroy();
    throw error;
  }
  const events = new EventRepository(db, transact, readDb);
  return {
    engine,
    location,
    db,
    readDb,
    events,
    log: new EventLog(db, engine, events),
    organizations: new OrganizationRepository(db),
    apiKeys: new ApiKeyRepository(db),
    usage: new UsageRepository(db),
    users: new UserRepository(db),
    memberships: new MembershipRepository(db, engine),
    sessions: new SessionRepository(db),
    invites: new InviteRepository(db),
    loginAttempts: new LoginAttemptRepository(db),
    oauth: new OAuthRepository(db),
    consumerCursors: new ConsumerCursorRepository(db, engine),
    outbox: new OutboxRepository(db, engine, writeTransaction(db, engine)),
    jobRuns: new JobRunRepository(db, engine),
    async close() {
      await stop?.();
      await db.destroy();
    },
  };
}
