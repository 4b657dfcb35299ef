/**
 * Reads that can be slow, off the event loop. better-sqlite3 is synchronous: a query scanning
 * 200,000 events would block every other request (and ingest) until it ends. Here each query
 * compiled by Kysely is posted to one of a few worker threads, each with its own read-only
 * connection to the same file; WAL lets them read while the main connection writes, and each
 * query sees everything committed before it started.
 *
 * The worker is plain JavaScript given as a string, so it runs the same under vitest (sources)
 * and from the built dist; better-sqlite3 is resolved here and handed to it by path.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  Kysely,
  type QueryResult,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import type { Database } from './schema.js';

// Integers come back as JavaScript numbers, as on the main connection (better-sqlite3's default).
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
try {
  // Linux: this thread only (its own task id) yields the CPU to the event loop when cores are short.
  const tid = Number(require('node:fs').readlinkSync('/proc/thread-self').split('/').pop());
  require('node:os').setPriority(tid, workerData.niceness);
} catch {
  // Elsewhere the thread keeps the process's priority.
}
let db;
try {
  db = new Database(workerData.file, { readonly: true, fileMustExist: true });
} catch (error) {
  // SQLite's error class loses its message on the way out of a thread; a plain Error keeps it.
  throw new Error('cannot open ' + workerData.file + ' to read: ' + error.message + (error.code ? ' (' + error.code + ')' : ''));
}
db.pragma('busy_timeout = 5000');
const statements = new Map();
parentPort.on('message', (message) => {
  if (message === 'stop') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    let statement = statements.get(message.sql);
    if (!statement) {
      if (statements.size >= workerData.maxStatements) statements.clear();
      statement = db.prepare(message.sql);
      if (!statement.reader) throw new Error('the read pool runs only queries that return rows');
      statements.set(message.sql, statement);
    }
    parentPort.postMessage({ rows: statement.all(message.parameters) });
  } catch (error) {
    parentPort.postMessage({ error: { message: String(error && error.message), code: error && error.code } });
  }
});
`;

/** Distinct statements each worker keeps prepared. */
const MAX_STATEMENTS = 200;
/** Reader threads run at a lower priority than the event loop (ingest, health checks, short reads). */
const NICENESS = 10;

interface Job {
  sql: string;
  parameters: readonly unknown[];
  resolve(rows: unknown[]): void;
  reject(error: Error): void;
}

interface Reader {
  worker: Worker;
  job?: Job;
  /** The uncaught error the thread died of, for the message of the query it was running. */
  failure?: Error;
}

type Answer = { rows: unknown[] } | { error: { message: string; code?: string } };

/** An error raised by SQLite in a reader thread; `code` is SQLite's (e.g. SQLITE_ERROR), as on the main connection. */
export class SqliteReadError extends Error {
  override name = 'SqliteReadError';
  constructor(
    message: string,
    readonly code: string | undefined,
  ) {
    super(message);
  }
}

/**
 * Up to `size` reader threads, started on first use. Queries wait in one queue and go to the
 * first idle thread. A thread that dies fails the query it was running with an error saying so
 * (never a hang) and is replaced on the next query.
 */
export class ReaderPool {
  private readonly readers: Reader[] = [];
  private readonly queue: Job[] = [];
  private readonly driver = createRequire(import.meta.url).resolve('better-sqlite3');
  private closed = false;

  constructor(
    private readonly file: string,
    readonly size: number,
  ) {
    if (!Number.isInteger(size) || size < 1)
      throw new Error(`reader pool size must be at least 1, not ${size}`);
  }

  /** Runs one query on a reader thread and answers its rows. */
  run(sql: string, parameters: readonly unknown[]): Promise<unknown[]> {
    if (this.closed) return Promise.reject(new Error('the store is closed; the query was not run'));
    return new Promise((resolve, reject) => {
      this.queue.push({ sql, parameters, resolve, reject });
      this.dispatch();
    });
  }

  /** The running threads (tests end one to check that a crash fails its query and the pool recovers). */
  get threads(): readonly Worker[] {
    return this.readers.map((r) => r.worker);
  }

  /** Stops every thread; queries still waiting fail, the ones running are answered first. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0))
      job.reject(new Error('the store is closed; the query was not run'));
    await Promise.all(
      this.readers.map(
        (reader) =>
          new Promise<void>((resolve) => {
            reader.worker.once('exit', () => resolve());
            // Kept alive until it has stopped, or a process with nothing else to do would exit here.
            reader.worker.ref();
            reader.worker.postMessage('stop');
          }),
      ),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let reader = this.readers.find((r) => !r.job);
      if (!reader && this.readers.length < this.size) reader = this.start();
      if (!reader) return;
      const job = this.queue.shift() as Job;
      reader.job = job;
      // A thread with a query keeps the process alive until it answers; an idle one does not.
      reader.worker.ref();
      reader.worker.postMessage({ sql: job.sql, parameters: job.parameters });
    }
  }

  private start(): Reader {
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: { driver: this.driver, file: this.file, maxStatements: MAX_STATEMENTS, niceness: NICENESS },
    });
    worker.unref();
    const reader: Reader = { worker };
    worker.on('message', (answer: Answer) => {
      const job = reader.job;
      reader.job = undefined;
      worker.unref();
      if ('rows' in answer) job?.resolve(answer.rows);
      else job?.reject(new SqliteReadError(answer.error.message, answer.error.code));
      this.dispatch();
    });
    worker.on('error', (error) => {
      reader.failure = error;
    });
    worker.on('exit', (code) => {
      this.readers.splice(this.readers.indexOf(reader), 1);
      const job = reader.job;
      reader.job = undefined;
      if (job) {
        const why = reader.failure ? `: ${reader.failure.message}` : ` with exit code ${code}`;
        job.reject(
          new Error(
            this.closed
              ? 'the store closed while the query ran; it was not answered'
              : `a SQLite reader thread stopped${why}; the query was not answered (a new thread takes the next one)`,
          ),
        );
      }
      if (!this.closed) this.dispatch();
    });
    this.readers.push(reader);
    return reader;
  }
}

class PoolConnection implements DatabaseConnection {
  constructor(private readonly pool: ReaderPool) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return { rows: (await this.pool.run(query.sql, query.parameters)) as R[] };
  }

  // biome-ignore lint/correctness/useYield: Kysely's interface; rows are fetched whole per query (keyset chunks).
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the read pool does not stream; page with keyset chunks instead');
  }
}

class PoolDriver implements Driver {
  private readonly connection: PoolConnection;

  constructor(private readonly pool: ReaderPool) {
    this.connection = new PoolConnection(pool);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return this.connection;
  }

  async beginTransaction(): Promise<void> {
    throw new Error('the read pool runs single queries; run transactions on the main connection');
  }

  async commitTransaction(): Promise<void> {}

  async rollbackTransaction(): Promise<void> {}

  async releaseConnection(): Promise<void> {}

  destroy(): Promise<void> {
    return this.pool.close();
  }
}

/** A Kysely over a reader pool: queries are built and compiled as on the main connection, and run on a thread. */
export function readerKysely(pool: ReaderPool): Kysely<Database> {
  const dialect: Dialect = {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new PoolDriver(pool),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
  return new Kysely<Database>({ dialect });
}
