/**
 * The impact job: every minute, once across instances (reactions/scheduler.ts), judges the
 * pending verdicts whose after-window has passed (written by the impact consumer), stores each
 * with its whole report, and queues an `impact.regression` notification to the channels the
 * organization chose for regressions (Settings -> Notifications), in the same transaction.
 * A row whose metrics cannot be read is tried again on the next runs, then given up.
 */
import { formatTime } from '@opstrails/core';
import { eventPhrase, notifiedEvent } from '../channels/notification.js';
import { queueNotification } from '../channels/notify.js';
import type { Config } from '../config.js';
import { metricServices } from '../integrations/services.js';
import { type StopSchedule, schedulePeriodic } from '../reactions/scheduler.js';
import { ChannelRepository } from '../store/channels.js';
import { toStoredEvent } from '../store/events.js';
import { ImpactVerdictRepository, type ImpactVerdictRow, MAX_ATTEMPTS } from '../store/impact-verdicts.js';
import type { Store } from '../store/store.js';
import { writeTransaction } from '../store/write-transaction.js';
import { assessImpact } from './assess.js';

const EVERY_MS = 60_000;
const BATCH = 50;

async function judgeRow(store: Store, config: Config, row: ImpactVerdictRow, now: number): Promise<void> {
  const repo = new ImpactVerdictRepository(store.db);
  const [event] = await store.events.findById(row.org_id, row.event_id, row.event_source);
  if (!event) {
    // Nothing to retry: give it up now.
    await repo.failed({ ...row, attempts: MAX_ATTEMPTS - 1 }, 'the event is no longer stored', now);
    return;
  }
  const stored = toStoredEvent(event);
  const report = await assessImpact(metricServices(store, config), {
    orgId: row.org_id,
    at: Number(event.time),
    subject: row.subject,
    source: stored.source,
    windowName: row.window,
    event: stored,
    now,
  });
  // Read before the transaction: on SQLite it holds the one connection the store's reads use.
  const org = await store.organizations.byId(row.org_id);
  await writeTransaction(
    store.db,
    store.engine,
  )(async (trx) => {
    await new ImpactVerdictRepository(trx).record(
      row.id,
      report.summary.verdict,
      report.summary.text,
      report,
      now,
    );
    if (report.summary.verdict !== 'regressed') return;
    const settings = await new ChannelRepository(trx).settings(row.org_id);
    if (settings.regressionChannels.length === 0) return;
    const notified = notifiedEvent(config.publicUrl, stored);
    await queueNotification(trx, {
      orgId: row.org_id,
      channelIds: settings.regressionChannels,
      key: `impact:${row.id}`,
      notification: {
        kind: 'impact.regression',
        title: `Regression after the ${eventPhrase(notified)}`,
        text: report.summary.text,
        organization: { id: row.org_id, name: org?.name ?? row.org_id },
        timestamp: formatTime(now),
        event: notified,
        link: notified.link,
      },
    });
  });
}

/** Judges the due rows; answers how many were judged. */
export async function fillInVerdicts(store: Store, config: Config, now = Date.now()): Promise<number> {
  const repo = new ImpactVerdictRepository(store.db);
  let judged = 0;
  for (const row of await repo.due(now, BATCH)) {
    try {
      await judgeRow(store, config, row, now);
      judged++;
    } catch (error) {
      await repo.failed(row, error instanceof Error ? error.message : String(error), now);
    }
  }
  return judged;
}

export function scheduleImpactFillIn(
  store: Store,
  config: Config,
  onError: (error: unknown) => void,
): StopSchedule {
  return schedulePeriodic(
    store,
    { name: 'impact-fill-in', everyMs: EVERY_MS, run: () => fillInVerdicts(store, config) },
    onError,
  );
}
