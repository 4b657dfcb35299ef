/** Every channel type, by its `type` name. */
import type { ChannelType } from './channel-type.js';
import { datadog } from './datadog.js';
import { email } from './email.js';
import { googleChat } from './google-chat.js';
import { grafana } from './grafana.js';
import { opsgenie } from './opsgenie.js';
import { pagerduty } from './pagerduty.js';
import { sentry } from './sentry.js';
import { slack } from './slack.js';
import { teams } from './teams.js';
import { webhook } from './webhook.js';

export const CHANNEL_TYPES: readonly ChannelType[] = [
  email,
  webhook,
  slack,
  pagerduty,
  opsgenie,
  googleChat,
  teams,
  grafana,
  datadog,
  sentry,
];

export const CHANNEL_TYPE_NAMES = CHANNEL_TYPES.map((t) => t.type);

const byName = new Map(CHANNEL_TYPES.map((t) => [t.type, t]));

export const channelType = (name: string): ChannelType | undefined => byName.get(name);

/** The outbox kind a channel type's deliveries are queued under. */
export const outboxKind = (type: string) => `channel:${type}`;
