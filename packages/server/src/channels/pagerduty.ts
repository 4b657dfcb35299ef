/**
 * PagerDuty Events API v2: `trigger` (POST /v2/enqueue) for violations, regressions, triage and
 * quota warnings, with the delivery's idempotency key as `dedup_key` so a resend updates the same
 * alert; `change` (POST /v2/change/enqueue) for forwarded events.
 */
import { z } from 'zod';
import type { ChannelType } from './channel-type.js';
import { secretField, urlField } from './config-fields.js';
import { type Notification, plainText } from './notification.js';
import { joinUrl, sendHttp } from './send-http.js';

const DEFAULT_BASE = 'https://events.pagerduty.com';

const SEVERITY: Record<string, string> = {
  CRITICAL: 'critical',
  MAJOR: 'error',
  MINOR: 'warning',
  LOW: 'info',
};

function severityOf(n: Notification): string {
  if (n.kind === 'incident.triage') return SEVERITY[n.event?.severity ?? ''] ?? 'error';
  if (n.kind === 'quota.warning' || n.kind === 'channel.test') return 'info';
  return 'warning';
}

export function pagerdutyRequest(n: Notification, routingKey: string, dedupKey: string) {
  const links = [{ href: n.link, text: 'Open in OpsTrails' }];
  const source = n.event?.source ?? 'opstrails';
  const details = {
    text: n.text,
    ...(n.guardrail ? { guardrail: n.guardrail } : {}),
    ...(n.event ? { event: n.event } : {}),
  };
  if (n.kind === 'event.forwarded') {
    return {
      path: '/v2/change/enqueue',
      body: {
        routing_key: routingKey,
        payload: {
          summary: n.title.slice(0, 1_024),
          timestamp: n.event?.time ?? n.timestamp,
          source,
          custom_details: details,
        },
        links,
      },
    };
  }
  return {
    path: '/v2/enqueue',
    body: {
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: dedupKey.slice(0, 255),
      payload: {
        summary: n.title.slice(0, 1_024),
        source,
        severity: severityOf(n),
        timestamp: n.timestamp,
        component: n.event?.subject ?? undefined,
        group: n.event?.source,
        class: n.kind,
        custom_details: { ...details, summary: plainText(n).slice(0, 8_000) },
      },
      links,
    },
  };
}

export const pagerduty: ChannelType = {
  type: 'pagerduty',
  label: 'PagerDuty',
  config: z.strictObject({
    routingKey: secretField('the integration key of an Events API v2 integration on the service').refine(
      (v) => /^[A-Za-z0-9]{20,64}$/.test(v),
      { message: 'must be the 32-character integration (routing) key of an Events API v2 integration' },
    ),
    apiBaseUrl: urlField('the Events API (default https://events.pagerduty.com)').optional(),
  }),
  secretFields: ['routingKey'],
  send(target, n, ctx) {
    const { path, body } = pagerdutyRequest(n, String(target.config.routingKey), ctx.idempotencyKey);
    const base = typeof target.config.apiBaseUrl === 'string' ? target.config.apiBaseUrl : DEFAULT_BASE;
    return sendHttp(ctx.http, { url: joinUrl(base, path), body });
  },
};
