/**
 * Flagsmith environment webhooks: `{event_type: FLAG_UPDATED|FLAG_DELETED, data: {changed_by,
 * new_state, previous_state, timestamp}}`, signed with `X-Flagsmith-Signature` (hex HMAC-SHA256
 * of the body with the webhook secret). No delivery id: the body's digest stands in.
 */
import type { ReceiverKind } from './kind.js';
import { isObject, object, required, text } from './payload.js';
import { header, hmacHex, sameText } from './verify.js';

const TOOL = 'Flagsmith';

const stateValue = (state: unknown) =>
  isObject(state) ? { enabled: state.enabled ?? null, value: state.feature_state_value ?? null } : null;

export const flagsmith: ReceiverKind = {
  kind: 'flagsmith',
  proof: 'X-Flagsmith-Signature (hex HMAC-SHA256 of the body with the webhook secret)',
  verify(headers, rawBody, secret) {
    const signature = header(headers, 'x-flagsmith-signature');
    return signature !== null && sameText(signature, hmacHex(secret, rawBody));
  },
  deliveryId: () => null,
  map(payload) {
    const eventType = required(payload, 'event_type', TOOL, 'environment webhook');
    const data = object(payload, 'data', TOOL, 'environment webhook');
    const state = isObject(data.new_state)
      ? data.new_state
      : object(data, 'previous_state', TOOL, 'flag webhook');
    const flag = required(state, 'feature.name', TOOL, 'flag webhook');
    const environment = text(state, 'environment.name');
    return {
      events: [
        {
          type: 'feature-flag',
          source: text(state, 'feature.project.name')
            ? `flagsmith/${text(state, 'feature.project.name')}`
            : 'flagsmith',
          subject: environment,
          time: text(data, 'timestamp'),
          data: {
            flag,
            environment,
            action: eventType,
            previous: stateValue(data.previous_state),
            value: eventType === 'FLAG_DELETED' ? null : stateValue(data.new_state),
            author: text(data, 'changed_by'),
          },
        },
      ],
    };
  },
};
