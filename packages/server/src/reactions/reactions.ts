/**
 * Starts what reacts to stored events in a server: the consumer runner (woken by the live bus
 * after every commit, here or on another instance, and by its poll) and the outbox worker (woken
 * after every consumer batch, and by its poll). Consumers and senders are handed in by the
 * server's caller (the features register theirs; tests register their own).
 */
import type { LiveBus } from '../live/bus.js';
import type { Store } from '../store/store.js';
import type { Consumer } from './consumer.js';
import { ConsumerRunner, type ConsumerRunnerOptions } from './consumer-runner.js';
import type { OutboxSender } from './outbox-sender.js';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox-worker.js';
import { schedulePeriodic } from './scheduler.js';

const HOUR_MS = 3_600_000;
/** Finished deliveries are kept this long (the API lists them), then pruned hourly. */
export const OUTBOX_KEEP_MS = 30 * 24 * HOUR_MS;

/** A consumer, or a function making one from the server's store (for handlers that use its repositories). */
export type ConsumerSource = Consumer | ((store: Store) => Consumer);

export interface ReactionsOptions {
  consumers?: ConsumerSource[];
  senders?: OutboxSender[];
  consumerOptions?: Omit<ConsumerRunnerOptions, 'onError' | 'onCommitted'>;
  outboxOptions?: Omit<OutboxWorkerOptions, 'onError'>;
}

export interface Reactions {
  consumers: ConsumerRunner;
  outbox: OutboxWorker;
  /** Stops both loops after their current pass. */
  stop(): Promise<void>;
}

export async function startReactions(
  store: Store,
  bus: LiveBus,
  options: ReactionsOptions,
  onError: (error: unknown, where: string) => void,
): Promise<Reactions> {
  const outbox = new OutboxWorker(store, options.senders ?? [], {
    ...options.outboxOptions,
    onError: (error) => onError(error, 'outbox worker'),
  });
  const made = (options.consumers ?? []).map((c) => (typeof c === 'function' ? c(store) : c));
  const consumers = new ConsumerRunner(store, made, {
    ...options.consumerOptions,
    onError: (consumer, error) => onError(error, `consumer ${consumer}`),
    onCommitted: () => outbox.wake(),
  });
  await consumers.start();
  outbox.start();
  const unsubscribe = bus.subscribeAll(() => consumers.wake());
  const stopPruning = schedulePeriodic(
    store,
    { name: 'outbox-prune', everyMs: HOUR_MS, run: () => store.outbox.prune(Date.now() - OUTBOX_KEEP_MS) },
    (error) => onError(error, 'outbox pruning'),
  );
  return {
    consumers,
    outbox,
    async stop() {
      unsubscribe();
      await stopPruning();
      await consumers.stop();
      await outbox.stop();
    },
  };
}
