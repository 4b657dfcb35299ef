/**
 * Queuing a notification: one outbox row per channel, in the caller's transaction (a consumer's
 * `trx`), so it commits with the rest of the consumer's effects or not at all. The idempotency
 * key is the notification's key and the channel: a batch handled twice queues once, and the
 * receiver sees the same delivery id on every attempt. Disabled channels, channels of another
 * organization and unknown ids are skipped; a forwarding target (Grafana, Datadog, Sentry) only
 * hears forwarded events.
 */
import type { Kysely } from 'kysely';
import { ChannelRepository } from '../store/channels.js';
import type { Database } from '../store/schema.js';
import type { Notification } from './notification.js';
import { channelType, outboxKind } from './registry.js';
import type { ChannelPayload } from './sender.js';

export interface QueuedNotification {
  orgId: string;
  /** Channels to hear it. */
  channelIds: string[];
  /** Unique for this notification (e.g. `guardrail:<violation id>`); with each channel id, the outbox key. */
  key: string;
  notification: Notification;
}

/** Answers the ids of the channels it was queued for (already queued ones included). */
export async function queueNotification(trx: Kysely<Database>, q: QueuedNotification): Promise<string[]> {
  const channels = (await new ChannelRepository(trx).byIds(q.orgId, [...new Set(q.channelIds)])).filter(
    (c) =>
      c.enabled &&
      channelType(c.type) !== undefined &&
      (!channelType(c.type)?.forwardingOnly || q.notification.kind === 'event.forwarded'),
  );
  if (channels.length === 0) return [];
  await new ChannelRepository(trx).queueDeliveries(
    channels.map((c) => ({
      idempotencyKey: `${q.key}:${c.id}`,
      orgId: q.orgId,
      channelId: c.id,
      kind: outboxKind(c.type),
      notificationKind: q.notification.kind,
      payload: { channelId: c.id, notification: q.notification } satisfies ChannelPayload,
    })),
  );
  return channels.map((c) => c.id);
}
