/** Table types of the reactions tables (migration 008): consumer cursors, skipped events, outbox, job runs. */
import type { Generated } from 'kysely';

export interface ConsumerCursorsTable {
  /** The consumer's name: its identity across restarts and instances. */
  name: string;
  /** The log position of the last event the consumer handled (see event-log.ts). */
  txid: number;
  seq: number;
  updated_at: number;
  /** Consecutive failed attempts at the batch after the cursor; 0 when healthy. */
  failures: Generated<number>;
  /** No attempt before this instant (backoff after a failure), shared by every instance. */
  retry_at: Generated<number>;
  last_error: string | null;
}

export interface ConsumerSkippedTable {
  consumer: string;
  seq: number;
  txid: number;
  org_id: string;
  event_id: string;
  attempts: number;
  error: string;
  skipped_at: number;
}

export interface OutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  org_id: string;
  /** Which sender delivers it (a channel type: webhook, slack, mail, ...). */
  kind: string;
  /** JSON text, what the sender sends. */
  payload: string;
  /** pending (waiting for its next attempt), sending (claimed until next_attempt_at), delivered, failed. */
  state: string;
  attempts: Generated<number>;
  next_attempt_at: number;
  /** What the other side answered last (status and body excerpt), or the network error. */
  last_answer: string | null;
  created_at: number;
  updated_at: number;
}

export interface JobRunsTable {
  name: string;
  last_run_at: number;
}
