/**
 * One channel type (webhook, Slack, PagerDuty, ...): the shape of its config, which of its fields
 * are secrets (stored sealed, shown masked), and how it sends a notification. One file per type;
 * registry.ts lists them; sender.ts turns each into the outbox sender of kind `channel:<type>`.
 */
import type { z } from 'zod';
import type { OutboundHttpClient } from '../outbound/http-client.js';
import type { SendResult } from '../reactions/outbox-sender.js';
import type { Mailer } from './mailer.js';
import type { Notification } from './notification.js';

/** A channel as a sender sees it: the config with its secrets opened. */
export interface ChannelTarget {
  id: string;
  orgId: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
}

export interface SendContext {
  http: OutboundHttpClient;
  mailer: Mailer;
  /** The outbox row's id (X-OpsTrails-Delivery) and idempotency key (dedup keys). */
  deliveryId: number;
  idempotencyKey: string;
  /** The organization's OWNER and ADMIN addresses (email channels without recipients). */
  adminEmails(): Promise<string[]>;
}

export interface ChannelType {
  type: string;
  /** What the console and the docs call it. */
  label: string;
  /** The config's fields, secrets included (validated on create; PATCH merges, then validates again). */
  config: z.ZodType<Record<string, unknown>>;
  /** Config fields that are secrets: sealed in the store, answered masked. */
  secretFields: readonly string[];
  /** Forwarding targets (Grafana, Datadog, Sentry) get only event.forwarded and test sends. */
  forwardingOnly?: boolean;
  send(target: ChannelTarget, notification: Notification, ctx: SendContext): Promise<SendResult>;
}
