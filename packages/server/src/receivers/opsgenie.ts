/**
 * Opsgenie outgoing Webhook integration (`{action, alert, source, integrationName}`), with the
 * custom header `Authorization: Bearer <secret>` added in the integration. Create and Close
 * become `incident` events, triggered and resolved, sharing the correlationid `opsgenie:<alertId>`.
 */
import type { ReceiverKind } from './kind.js';
import { object, required, text } from './payload.js';
import { tokenMatches } from './verify.js';

const TOOL = 'Opsgenie';
const KEPT: Record<string, string> = { Create: 'triggered', Close: 'resolved' };
const SEVERITY = { P1: 'CRITICAL', P2: 'MAJOR', P3: 'MINOR', P4: 'LOW', P5: 'LOW' } as const;

export const opsgenie: ReceiverKind = {
  kind: 'opsgenie',
  proof: 'Authorization: Bearer <receiver secret> (a custom header of the Webhook integration)',
  verify: (headers, _rawBody, secret) => tokenMatches(headers, secret),
  deliveryId(_headers, payload) {
    const alertId = text(payload, 'alert.alertId');
    return alertId ? `${alertId}:${text(payload, 'action')}:${text(payload, 'alert.updatedAt') ?? ''}` : null;
  },
  map(payload) {
    const action = required(payload, 'action', TOOL, 'webhook');
    const alert = object(payload, 'alert', TOOL, 'webhook');
    const alertId = required(alert, 'alertId', TOOL, 'webhook');
    const status = KEPT[action];
    if (!status) return { ignored: `${action} is not recorded (Create, Close are)` };
    const priority = text(alert, 'priority');
    // Opsgenie sends createdAt in milliseconds but updatedAt in nanoseconds.
    const updated = action === 'Create' ? alert.createdAt : alert.updatedAt;
    const ms = typeof updated === 'number' ? (updated > 1e15 ? Math.round(updated / 1e6) : updated) : null;
    return {
      events: [
        {
          type: 'incident',
          source: text(alert, 'entity') ?? text(alert, 'source'),
          time: ms,
          severity: priority && priority in SEVERITY ? SEVERITY[priority as keyof typeof SEVERITY] : null,
          correlationid: `opsgenie:${alertId}`,
          data: {
            status,
            title: text(alert, 'message')?.slice(0, 1000) ?? null,
            alertId,
            tinyId: text(alert, 'tinyId'),
            priority,
            author: text(alert, 'username'),
          },
        },
      ],
    };
  },
};
