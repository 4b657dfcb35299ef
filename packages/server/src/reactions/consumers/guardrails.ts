/**
 * The guardrails consumer: judges every stored event of a guarded type against its
 * organization's enabled freeze windows and deployment policies, by its own time and in commit
 * order (a policy's history is the events stored before it), records each violation with the
 * event, the rule and a reason, and queues notifications to the guardrail's channels, all in the
 * batch's transaction. Notifications are deduplicated by their outbox keys: a window notifies on
 * its first matching event (per edit, and per occurrence of a recurring one), a policy at most
 * once per UTC day per channel. An event more than 24 hours old when stored is recorded but
 * notifies nobody (an import of history pages no one).
 */
import { formatTime } from '@opstrails/core';
import { notifiedEvent } from '../../channels/notification.js';
import { queueNotification } from '../../channels/notify.js';
import type { Config } from '../../config.js';
import { isGuardedType } from '../../domain/guardrails/filters.js';
import type { JudgedEvent } from '../../domain/guardrails/types.js';
import { type Broken, judgeBatch } from '../../guardrails/judge.js';
import { positionOf } from '../../store/event-log.js';
import { type EventRow, toStoredEvent } from '../../store/event-rows.js';
import { GuardrailRepository, type StoredFreeze } from '../../store/guardrails.js';
import type { Store } from '../../store/store.js';
import type { Consumer } from '../consumer.js';

/** Past this age when stored, a violating event notifies nobody. */
export const NOTIFY_MAX_AGE_MS = 24 * 3_600_000;

const judged = (e: EventRow): JudgedEvent => ({
  type: e.type,
  source: e.source,
  subject: e.subject,
  severity: e.severity,
  time: Number(e.time),
});

/** The outbox key of a violation's notification (each channel id is appended): the dedupe of the spec. */
export function notificationKey(b: Broken, receivedAt: number): string {
  if (b.finding.guardrailType === 'change-freeze') {
    const w = b.guardrail as StoredFreeze;
    const occurrence = b.finding.occurrenceStart === undefined ? '' : `:${b.finding.occurrenceStart}`;
    return `guardrail:${w.id}:r${w.revision}${occurrence}`;
  }
  return `guardrail:${b.guardrail.id}:${new Date(receivedAt).toISOString().slice(0, 10)}`;
}

export function guardrailsConsumer(config: Pick<Config, 'publicUrl'>): (store: Store) => Consumer {
  return (store) => {
    const repo = new GuardrailRepository(store.db, store.engine);

    return {
      name: 'guardrails',
      async handle(events, trx) {
        const candidates = events.filter((e) => isGuardedType(e.type));
        if (candidates.length === 0) return;
        const sets = await repo.enabledFor([...new Set(candidates.map((e) => e.org_id))], trx);
        if (sets.size === 0) return;
        const orgNames = new Map(
          (
            await trx
              .selectFrom('organizations')
              .select(['id', 'name'])
              .where('id', 'in', [...sets.keys()])
              .execute()
          ).map((o) => [o.id, o.name]),
        );
        // Written once per batch: a busy batch breaking rules on every event is one insert, not one per event.
        const found = new Map<string, Parameters<GuardrailRepository['recordViolations']>[1]>();
        const marks = new Map<string, { w: StoredFreeze; occurrence: number }>();
        // A notification key already queued in this batch needs no second look at its channels.
        const queued = new Set<string>();
        // Judged per organization in one go: one history query per policy per batch, not per event.
        const brokenBy = new Map<EventRow, Broken[]>();
        for (const [orgId, set] of sets) {
          const mine = candidates.filter((e) => e.org_id === orgId);
          const items = mine.map((e) => ({
            event: judged(e),
            position: positionOf(e),
            existingAt: Number(e.received_at),
          }));
          const results = await judgeBatch(repo, orgId, set, items, trx);
          for (const [i, e] of mine.entries()) brokenBy.set(e, results[i] ?? []);
        }
        for (const e of candidates) {
          const broken = brokenBy.get(e);
          if (!broken || broken.length === 0) continue;
          const receivedAt = Number(e.received_at);
          const event = {
            seq: Number(e.seq),
            id: e.id,
            source: e.source,
            type: e.type,
            subject: e.subject,
            version: e.version,
            time: Number(e.time),
          };
          const list = found.get(e.org_id) ?? [];
          list.push(...broken.map((b) => ({ finding: b.finding, event })));
          found.set(e.org_id, list);
          for (const b of broken) {
            if (b.finding.guardrailType !== 'change-freeze') continue;
            const w = b.guardrail as StoredFreeze;
            const occurrence = b.finding.occurrenceStart ?? w.startsAt;
            if ((marks.get(w.id)?.occurrence ?? Number.NEGATIVE_INFINITY) < occurrence)
              marks.set(w.id, { w, occurrence });
          }
          if (receivedAt - Number(e.time) > NOTIFY_MAX_AGE_MS) continue;
          const notified = notifiedEvent(config.publicUrl, toStoredEvent(e));
          for (const b of broken) {
            const key = notificationKey(b, receivedAt);
            if (b.guardrail.notificationChannels.length === 0 || queued.has(key)) continue;
            queued.add(key);
            const { guardrailType, guardrailId, guardrailName, ruleType, reason } = b.finding;
            await queueNotification(trx, {
              orgId: e.org_id,
              channelIds: b.guardrail.notificationChannels,
              key,
              notification: {
                kind: 'guardrail.violation',
                title: `${guardrailType === 'change-freeze' ? 'Change freeze' : 'Deployment policy'} broken: ${guardrailName}`,
                text: reason,
                organization: { id: e.org_id, name: orgNames.get(e.org_id) ?? e.org_id },
                timestamp: formatTime(Date.now()),
                event: notified,
                guardrail: { guardrailType, guardrailId, guardrailName, ruleType, reason },
                link: notified.link,
              },
            });
          }
        }
        for (const [orgId, list] of found) {
          for (let i = 0; i < list.length; i += 500)
            await repo.recordViolations(orgId, list.slice(i, i + 500), trx);
        }
        for (const { w, occurrence } of marks.values())
          await repo.markViolated(w.id, w.revision, occurrence, trx);
      },
    };
  };
}
