/**
 * What channels add to a server's reactions: the outbox senders of every channel type and the
 * consumers that queue channel notifications (forwarding, incident triage, quota warnings).
 * The caller's own consumers and senders come first and are kept.
 */
import type { Config } from '../config.js';
import { forwardingConsumer } from '../reactions/consumers/forwarding.js';
import { incidentTriageConsumer } from '../reactions/consumers/incident-triage.js';
import { quotaWarningConsumer } from '../reactions/consumers/quota-warning.js';
import type { ReactionsOptions } from '../reactions/reactions.js';
import type { Store } from '../store/store.js';
import { channelSenders } from './sender.js';

export function withChannelReactions(
  store: Store,
  config: Config,
  options: ReactionsOptions,
): ReactionsOptions {
  return {
    ...options,
    consumers: [
      ...(options.consumers ?? []),
      forwardingConsumer(config),
      incidentTriageConsumer(config),
      quotaWarningConsumer(config),
    ],
    senders: [...(options.senders ?? []), ...channelSenders(store, config)],
  };
}
