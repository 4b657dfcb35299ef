/**
 * The outbox senders of channels: one per channel type, of kind `channel:<type>`. Each attempt
 * reads the channel again (a deleted channel's queued deliveries end, saying so), opens its
 * secrets and hands the notification kept in the row to the type's `send`.
 */
import type { Config } from '../config.js';
import type { OutboxSender } from '../reactions/outbox-sender.js';
import type { Store } from '../store/store.js';
import type { Notification } from './notification.js';
import { CHANNEL_TYPES, outboxKind } from './registry.js';
import { channelServices } from './services.js';

/** What a channel delivery's outbox row holds. */
export interface ChannelPayload {
  channelId: string;
  notification: Notification;
}

export function channelSenders(store: Store, config: Config): OutboxSender[] {
  const services = channelServices(store, config);
  return CHANNEL_TYPES.map((type) => ({
    kind: outboxKind(type.type),
    async send(delivery) {
      const payload = delivery.payload as ChannelPayload;
      const row = await services.channels.repo.get(delivery.orgId, payload.channelId);
      // Settled as delivered: nothing is left to send it to, and retrying would only repeat this.
      if (!row) return { ok: true, answer: 'not sent: the channel was deleted' };
      const target = services.channels.target(row);
      return type.send(target, payload.notification, {
        http: services.http,
        mailer: services.mailer,
        deliveryId: delivery.id,
        idempotencyKey: delivery.idempotencyKey,
        adminEmails: async () =>
          (await store.memberships.list(delivery.orgId))
            .filter((m) => m.role === 'OWNER' || m.role === 'ADMIN')
            .map((m) => m.email),
      });
    },
  }));
}
