/**
 * The DORA consumer: marks the UTC day of every stored deploy, rollback or incident event as
 * changed, in the batch's transaction, so the stored judgements of the deployments around it are
 * made again before a range that includes them is read (dora/judgements.ts). It starts at the
 * beginning of the log the first time (backfill): the events stored before it existed are marked
 * too. Marking is one row per organization and day, whatever the number of events.
 */
import { isDoraType } from '../../domain/dora/events.js';
import { DORA_CONSUMER, dayOf } from '../../dora/judgements.js';
import { DoraJudgementRepository } from '../../store/dora-judgements.js';
import type { Store } from '../../store/store.js';
import type { Consumer } from '../consumer.js';

export function doraConsumer(store: Store): Consumer {
  const repo = new DoraJudgementRepository(store.db, store.readDb, store.engine);
  return {
    name: DORA_CONSUMER,
    backfill: true,
    // Marking is cheap; a backfill of millions of events goes faster in large batches.
    batchSize: 1_000,
    async handle(events, trx) {
      const days = new Map<string, Set<number>>();
      for (const e of events) {
        if (!isDoraType(e.type)) continue;
        const set = days.get(e.org_id) ?? new Set<number>();
        days.set(e.org_id, set);
        set.add(dayOf(Number(e.time)));
      }
      for (const [orgId, set] of days) await repo.mark(orgId, [...set], trx);
    },
  };
}
