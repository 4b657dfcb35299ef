/**
 * Moves SQLite's WAL checkpoints off the event loop. By default the connection that commits
 * also copies the WAL back into the database file (and fsyncs it) every 1,000 pages, stalling
 * every request behind it. Here a worker thread with its own connection checkpoints twice a
 * second without blocking writers (PASSIVE), and the main connection only checkpoints itself
 * as a safety net if the WAL still grows past ~40 MB.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

const INTERVAL_MS = 500;
const SAFETY_NET_PAGES = 10_000;

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: the next round catches up */ }
}, workerData.interval);
parentPort.on('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/** Starts background checkpoints for the database at `file`; returns the function that stops them. */
export function startCheckpointer(main: SQLite.Database, file: string): () => Promise<void> {
  main.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, file, interval: INTERVAL_MS } });
  worker.unref();
  let failed = false;
  worker.on('error', () => {
    // Without the worker, the connection checkpoints itself as SQLite normally does.
    failed = true;
    main.pragma('wal_autocheckpoint = 1000');
  });
  return async () => {
    if (failed) return;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    // Kept alive until it has stopped: unreferenced, a process with nothing else to do would
    // exit while closing the store.
    worker.ref();
    worker.postMessage('stop');
    await exited;
  };
}
