/**
 * Webhook: the JSON of contract section 8, signed. `X-OpsTrails-Signature` is the hex
 * HMAC-SHA256 of the raw body with the channel's secret; `X-OpsTrails-Delivery` is the delivery
 * id (the same on every attempt, so a receiver can drop a resend).
 */
import { createHmac } from 'node:crypto';
import { z } from 'zod';
import type { ChannelType } from './channel-type.js';
import { secretField, urlField } from './config-fields.js';
import type { Notification } from './notification.js';
import { sendHttp } from './send-http.js';

/** The body: for a violation exactly the contract's; the other kinds in the same frame. */
export function webhookBody(n: Notification): Record<string, unknown> {
  const frame = { organization: n.organization, timestamp: n.timestamp };
  const event = n.event
    ? {
        eventType: n.event.type,
        source: n.event.source,
        subject: n.event.subject,
        version: n.event.version,
        timestamp: n.event.time,
      }
    : undefined;
  if (n.kind === 'guardrail.violation' && n.guardrail) {
    return {
      type: n.kind,
      guardrailType: n.guardrail.guardrailType,
      guardrailName: n.guardrail.guardrailName,
      violation: event,
      ...frame,
    };
  }
  return {
    type: n.kind,
    title: n.title,
    text: n.text,
    ...(event
      ? { event: { id: n.event?.id, ...event, severity: n.event?.severity, link: n.event?.link } }
      : {}),
    ...(n.causes
      ? {
          causes: n.causes.map((c) => ({
            rank: c.rank,
            score: c.score,
            reasons: c.reasons,
            brokeGuardrails: c.brokeGuardrails,
            impact: c.impact,
            event: c.event,
          })),
        }
      : {}),
    ...(n.quota ? { quota: n.quota } : {}),
    link: n.link,
    ...frame,
  };
}

export const signBody = (raw: string, secret: string) =>
  createHmac('sha256', secret).update(raw).digest('hex');

export const webhook: ChannelType = {
  type: 'webhook',
  label: 'Webhook',
  config: z.strictObject({
    url: urlField('your receiver'),
    secret: secretField('the HMAC key the receiver checks X-OpsTrails-Signature with').optional(),
  }),
  secretFields: ['secret'],
  async send(target, n, ctx) {
    const raw = JSON.stringify(webhookBody(n));
    const secret = target.config.secret;
    return sendHttp(ctx.http, {
      url: String(target.config.url),
      body: null,
      raw,
      headers: {
        'x-opstrails-delivery': String(ctx.deliveryId),
        ...(typeof secret === 'string' ? { 'x-opstrails-signature': signBody(raw, secret) } : {}),
      },
    });
  },
};
