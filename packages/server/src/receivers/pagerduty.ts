/**
 * PagerDuty v3 webhook subscriptions: `{event: {id, event_type, occurred_at, agent, data}}`,
 * signed with `X-PagerDuty-Signature: v1=<hex HMAC-SHA256 of the body>` (several, comma-separated,
 * while a secret rotates); `X-Webhook-Id` names the delivery. incident.triggered and
 * incident.resolved become `incident` events sharing the correlationid `pagerduty:<incident id>`.
 */
import type { ReceiverKind } from './kind.js';
import { object, required, text } from './payload.js';
import { header, hmacHex, sameText } from './verify.js';

const TOOL = 'PagerDuty';
const KEPT: Record<string, string> = {
  'incident.triggered': 'triggered',
  'incident.reopened': 'triggered',
  'incident.resolved': 'resolved',
};

function severity(data: Record<string, unknown>) {
  const priority = text(data, 'priority.summary');
  if (priority === 'P1') return 'CRITICAL' as const;
  if (priority === 'P2' || text(data, 'urgency') === 'high') return 'MAJOR' as const;
  return 'MINOR' as const;
}

export const pagerduty: ReceiverKind = {
  kind: 'pagerduty',
  proof: 'X-PagerDuty-Signature (v1=HMAC-SHA256 of the body with the subscription secret)',
  verify(headers, rawBody, secret) {
    const expected = `v1=${hmacHex(secret, rawBody)}`;
    const signatures = header(headers, 'x-pagerduty-signature')?.split(',') ?? [];
    return signatures.some((s) => sameText(s.trim(), expected));
  },
  deliveryId: (headers, payload) => header(headers, 'x-webhook-id') ?? text(payload, 'event.id'),
  map(payload) {
    const event = object(payload, 'event', TOOL, 'v3 webhook');
    const eventType = required(event, 'event_type', TOOL, 'v3 webhook');
    const status = KEPT[eventType];
    if (!status)
      return { ignored: `${eventType} is not recorded (incident.triggered, incident.resolved are)` };
    const data = object(event, 'data', TOOL, 'incident webhook');
    const incidentId = required(data, 'id', TOOL, 'incident webhook');
    return {
      events: [
        {
          type: 'incident',
          source: text(data, 'service.summary'),
          time: text(event, 'occurred_at'),
          severity: severity(data),
          correlationid: `pagerduty:${incidentId}`,
          data: {
            status,
            title: text(data, 'title')?.slice(0, 1000) ?? null,
            incidentId,
            number: text(data, 'number'),
            url: text(data, 'html_url'),
            urgency: text(data, 'urgency'),
            priority: text(data, 'priority.summary'),
            author: text(event, 'agent.summary'),
          },
        },
      ],
    };
  },
};
