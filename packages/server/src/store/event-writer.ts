/**
 * Group commit for event inserts. Inserts that arrive while a write is under way wait and are
 * then stored together: one transaction, one multi-row statement per organization, one commit.
 * On SQLite the commit, not the row, is the expensive part of a small insert, so under concurrent
 * load this multiplies single-event throughput; alone, an insert waits for nothing.
 *
 * If a merged write fails, each waiting insert is retried alone, so one bad insert cannot fail
 * the others and every caller gets its own answer.
 */
import type { NewEvent } from '@opstrails/core';
import {
  type EventRow,
  type InsertOutcome,
  identity,
  storedFromNew,
  toInsertRow,
  toStoredEvent,
} from './event-rows.js';
import type { Transact } from './event-write-ops.js';

interface Job {
  orgId: string;
  events: NewEvent[];
  receivedAt: number;
  resolve(outcomes: InsertOutcome[]): void;
  reject(error: unknown): void;
}

export class EventWriter {
  private queue: Job[] = [];
  private writing = false;
  private scheduled = false;

  constructor(private readonly transact: Transact) {}

  /** Stores events (idempotent on source + id) and answers in input order once committed. */
  write(orgId: string, events: NewEvent[], receivedAt: number): Promise<InsertOutcome[]> {
    if (events.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      this.queue.push({ orgId, events, receivedAt, resolve, reject });
      if (this.writing || this.scheduled) return;
      // better-sqlite3 is synchronous: a write never yields to I/O, so requests that arrived on
      // other sockets would only be read after it. Waiting for the end of this I/O phase lets
      // them join the same transaction.
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        void this.drain();
      });
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const jobs = this.queue;
        this.queue = [];
        try {
          const outcomes = await this.commit(jobs);
          for (const [i, job] of jobs.entries()) job.resolve(outcomes[i] as InsertOutcome[]);
        } catch (error) {
          if (jobs.length === 1) {
            jobs[0]?.reject(error);
            continue;
          }
          for (const job of jobs) {
            try {
              job.resolve((await this.commit([job]))[0] as InsertOutcome[]);
            } catch (jobError) {
              job.reject(jobError);
            }
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /** One transaction for all jobs; answers per job, in order. */
  private commit(jobs: Job[]): Promise<InsertOutcome[][]> {
    return this.transact(async (ops) => {
      const byOrg = new Map<string, Job[]>();
      for (const job of jobs) byOrg.set(job.orgId, [...(byOrg.get(job.orgId) ?? []), job]);
      const answers = new Map<Job, InsertOutcome[]>();
      for (const [orgId, orgJobs] of byOrg) {
        const rows = orgJobs.flatMap((job) => job.events.map((e) => toInsertRow(orgId, e, job.receivedAt)));
        const fresh = new Map<string, number>();
        for (const row of await ops.insert(rows)) fresh.set(identity(row.source, row.id), row.seq);
        const missing = orgJobs
          .flatMap((job) => job.events)
          .filter((e) => !fresh.has(identity(e.source, e.id)));
        const stored = new Map<string, EventRow>();
        for (const row of await ops.findExisting(orgId, missing))
          stored.set(identity(row.source, row.id), row);
        // Counted in the same transaction, so quotas never drift from what is stored.
        await ops.addUsage(orgId, fresh.size, orgJobs[0]?.receivedAt ?? Date.now());
        const created = new Map<string, InsertOutcome>();
        for (const job of orgJobs) {
          answers.set(
            job,
            job.events.map((e) => {
              const key = identity(e.source, e.id);
              const seq = fresh.get(key);
              // The first occurrence of an identity in this write is the one that created it;
              // later ones answer with what it stored.
              if (seq !== undefined && !created.has(key)) {
                const event = storedFromNew(e, job.receivedAt);
                created.set(key, { event, seq, created: false });
                return { event, seq, created: true };
              }
              const earlier = created.get(key);
              if (earlier) return earlier;
              const row = stored.get(key);
              if (!row) throw new Error(`event ${key} neither inserted nor found`);
              return { event: toStoredEvent(row), seq: Number(row.seq), created: false };
            }),
          );
        }
      }
      return jobs.map((job) => answers.get(job) as InsertOutcome[]);
    });
  }
}
