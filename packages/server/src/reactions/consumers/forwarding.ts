/**
 * Forwarding: every stored event that matches an enabled forwarding rule is sent to the rule's
 * channel as `event.forwarded` (a Grafana annotation, a Datadog change event, a PagerDuty change,
 * a Slack message per production deploy). The outbox key is the event's row and the channel, so
 * two rules naming one channel send the event once. An event more than 24 hours old when stored
 * (an import of history) is not forwarded.
 */
import { formatTime } from '@opstrails/core';
import { eventPhrase, notifiedEvent } from '../../channels/notification.js';
import { queueNotification } from '../../channels/notify.js';
import type { Config } from '../../config.js';
import { ChannelRepository, type ForwardingRule } from '../../store/channels.js';
import { type EventRow, toStoredEvent } from '../../store/event-rows.js';
import { OrganizationRepository } from '../../store/organizations.js';
import type { Consumer } from '../consumer.js';

export const FORWARD_MAX_AGE_MS = 24 * 3_600_000;

const listed = (list: string[], value: string | null) =>
  list.length === 0 || (value !== null && list.some((v) => v.toLowerCase() === value.toLowerCase()));

export const ruleMatches = (
  r: ForwardingRule,
  e: Pick<EventRow, 'type' | 'source' | 'subject' | 'severity'>,
) =>
  listed(r.types, e.type) &&
  listed(r.sources, e.source) &&
  listed(r.subjects, e.subject) &&
  listed(r.severities, e.severity);

export function forwardingConsumer(config: Pick<Config, 'publicUrl'>): Consumer {
  return {
    name: 'channels-forwarding',
    batchSize: 200,
    async handle(events, trx) {
      const fresh = events.filter((e) => Number(e.received_at) - Number(e.time) <= FORWARD_MAX_AGE_MS);
      if (fresh.length === 0) return;
      const rules = await new ChannelRepository(trx).activeRules([...new Set(fresh.map((e) => e.org_id))]);
      if (rules.length === 0) return;
      const orgs = new OrganizationRepository(trx);
      const names = new Map<string, string>();
      for (const e of fresh) {
        const matching = rules.filter((r) => r.orgId === e.org_id && ruleMatches(r, e));
        if (matching.length === 0) continue;
        if (!names.has(e.org_id)) names.set(e.org_id, (await orgs.byId(e.org_id))?.name ?? e.org_id);
        const event = notifiedEvent(config.publicUrl, toStoredEvent(e));
        await queueNotification(trx, {
          orgId: e.org_id,
          channelIds: matching.map((r) => r.channelId),
          key: `forward:${e.seq}`,
          notification: {
            kind: 'event.forwarded',
            title: eventPhrase(event),
            text: event.description ?? `Forwarded by ${matching.map((r) => `"${r.name}"`).join(', ')}.`,
            organization: { id: e.org_id, name: names.get(e.org_id) as string },
            timestamp: formatTime(Date.now()),
            event,
            link: event.link,
          },
        });
      }
    },
  };
}
