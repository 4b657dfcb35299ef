/**
 * The channels a freeze window or deployment policy notifies must be channels of its
 * organization: a 400 naming `notificationChannels` and the unknown id. On an edit only ids added
 * are checked, so a channel deleted since (its deliveries end unsent) never blocks another change.
 */
import { channelServices } from '../../../../channels/services.js';
import type { AppContext } from '../../../context.js';
import { badRequest } from '../../../envelope.js';

export async function checkKnownChannels(
  ctx: AppContext,
  orgId: string,
  ids: readonly string[],
  stored: readonly string[] = [],
): Promise<void> {
  const added = ids.filter((id) => !stored.includes(id));
  if (added.length === 0) return;
  const { channels } = channelServices(ctx.store, ctx.config);
  const known = new Set((await channels.repo.list(orgId)).map((c) => c.id));
  const unknown = added.find((id) => !known.has(id));
  if (unknown)
    throw badRequest(
      'notificationChannels',
      `no channel "${unknown}" in this organization (GET /api/v1/channels lists them)`,
    );
}
