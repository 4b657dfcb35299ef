/**
 * Opsgenie Alert API: POST /v2/alerts with `Authorization: GenieKey <apiKey>`, priority P3, the
 * delivery's idempotency key as `alias` (Opsgenie folds a resend into the same alert). Region
 * `eu` uses api.eu.opsgenie.com.
 */
import { z } from 'zod';
import type { ChannelType } from './channel-type.js';
import { secretField, urlField } from './config-fields.js';
import { type Notification, plainText } from './notification.js';
import { joinUrl, sendHttp } from './send-http.js';

const BASES = { us: 'https://api.opsgenie.com', eu: 'https://api.eu.opsgenie.com' } as const;

export function opsgenieAlert(n: Notification, alias: string) {
  const details: Record<string, string> = { kind: n.kind, link: n.link };
  if (n.event)
    Object.assign(details, {
      source: n.event.source,
      type: n.event.type,
      subject: n.event.subject ?? '',
      time: n.event.time,
    });
  if (n.guardrail)
    Object.assign(details, { guardrail: n.guardrail.guardrailName, rule: n.guardrail.ruleType });
  return {
    message: n.title.slice(0, 130),
    alias: alias.slice(0, 512),
    description: plainText(n).slice(0, 15_000),
    priority: 'P3',
    source: 'OpsTrails',
    entity: n.event?.subject ?? undefined,
    tags: ['opstrails', n.kind],
    details,
  };
}

export const opsgenie: ChannelType = {
  type: 'opsgenie',
  label: 'Opsgenie',
  config: z.strictObject({
    apiKey: secretField('the API key of an Opsgenie API integration'),
    region: z
      .enum(['us', 'eu'], { message: 'must be us or eu (the Opsgenie instance your account is on)' })
      .optional(),
    apiBaseUrl: urlField('the Alert API (default by region)').optional(),
  }),
  secretFields: ['apiKey'],
  send(target, n, ctx) {
    const region = target.config.region === 'eu' ? 'eu' : 'us';
    const base = typeof target.config.apiBaseUrl === 'string' ? target.config.apiBaseUrl : BASES[region];
    return sendHttp(ctx.http, {
      url: joinUrl(base, '/v2/alerts'),
      headers: { authorization: `GenieKey ${String(target.config.apiKey)}` },
      body: opsgenieAlert(n, ctx.idempotencyKey),
    });
  },
};
