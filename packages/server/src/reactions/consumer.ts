/** What a consumer of the event log is: see docs/architecture.md ("Reactions") for a whole one. */
import type { Kysely } from 'kysely';
import type { EventRow } from '../store/event-rows.js';
import type { Database } from '../store/schema.js';

export interface Consumer {
  /** Its identity: the cursor is kept under this name, across restarts and instances. */
  name: string;
  /** Events per call of `handle` (default 100). */
  batchSize?: number;
  /** Start from the beginning of the log instead of its head, the first time it runs. */
  backfill?: boolean;
  /**
   * Handles a batch of events, in log order, inside the transaction that advances the cursor:
   * write every effect through `trx` (store repositories take it as their `db` argument) and they
   * commit with the cursor, or not at all. Throwing rolls everything back and retries later, so a
   * batch can be handled more than once: make the handler idempotent (keys, ON CONFLICT). Never
   * write through the store's own handles here, and send nothing out: queue outbox rows instead.
   */
  handle(events: EventRow[], trx: Kysely<Database>): Promise<void>;
}
