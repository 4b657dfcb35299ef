/**
 * quota.warning: once an organization has stored 80% of its plan's monthly events, its owners and
 * admins hear it once that month, through its email channels (which default to the owners and
 * admins). The outbox key is the organization and the month: queued once, however many batches
 * see it past the mark. Organizations on a plan without a monthly limit never warn.
 */
import { formatTime, usagePeriods } from '@opstrails/core';
import { queueNotification } from '../../channels/notify.js';
import type { Config } from '../../config.js';
import { ChannelRepository } from '../../store/channels.js';
import { OrganizationRepository } from '../../store/organizations.js';
import { UsageRepository } from '../../store/usage.js';
import type { Consumer } from '../consumer.js';

export const QUOTA_WARNING_SHARE = 0.8;

export function quotaWarningConsumer(config: Pick<Config, 'publicUrl'>): Consumer {
  return {
    name: 'channels-quota-warning',
    batchSize: 500,
    async handle(events, trx) {
      const orgs = new OrganizationRepository(trx);
      const now = Date.now();
      const { month } = usagePeriods(now);
      for (const orgId of new Set(events.map((e) => e.org_id))) {
        const org = await orgs.byId(orgId);
        const limit = org ? org.limits.eventsPerMonth : null;
        if (!org || limit === null) continue;
        const used = (await new UsageRepository(trx).get(orgId, 'events', now)).month;
        if (used < limit * QUOTA_WARNING_SHARE) continue;
        const channels = await new ChannelRepository(trx).byType(orgId, 'email');
        if (channels.length === 0) continue;
        await queueNotification(trx, {
          orgId,
          channelIds: channels.map((c) => c.id),
          key: `quota:${orgId}:${month}`,
          notification: {
            kind: 'quota.warning',
            title: `${org.name} has used ${Math.floor((used / limit) * 100)}% of this month's events`,
            text: `${used} of ${limit} events on the ${org.plan} plan in ${month}. Past the limit, new events are refused with 429 until the 1st (UTC).`,
            organization: { id: orgId, name: org.name },
            timestamp: formatTime(now),
            quota: { used, limit, month },
            link: `${config.publicUrl}/settings/usage`,
          },
        });
      }
    },
  };
}
