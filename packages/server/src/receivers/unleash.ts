/**
 * Unleash webhook addon (no body template): the Unleash event JSON, with the addon's
 * Authorization header set to `Bearer <secret>`. The event `id` names the delivery. Flag events
 * (`feature-*`) are `feature-flag` events; others are acknowledged.
 */
import type { ReceiverKind } from './kind.js';
import { isObject, required, text } from './payload.js';
import { tokenMatches } from './verify.js';

const TOOL = 'Unleash';

export const unleash: ReceiverKind = {
  kind: 'unleash',
  proof: 'Authorization: Bearer <receiver secret> (the addon Authorization field)',
  verify: (headers, _rawBody, secret) => tokenMatches(headers, secret),
  deliveryId: (_headers, payload) => text(payload, 'id'),
  map(payload) {
    const type = required(payload, 'type', TOOL, 'webhook event');
    required(payload, 'createdBy', TOOL, 'webhook event');
    if (!type.startsWith('feature-')) return { ignored: `${type} events are not recorded (feature-* are)` };
    const flag = required(payload, 'featureName', TOOL, 'feature event');
    const environment = text(payload, 'environment');
    const toggled =
      type === 'feature-environment-enabled' ? true : type === 'feature-environment-disabled' ? false : null;
    const data = isObject(payload.data) ? payload.data : null;
    const preData = isObject(payload.preData) ? payload.preData : null;
    return {
      events: [
        {
          type: 'feature-flag',
          source: `unleash/${text(payload, 'project') ?? 'default'}`,
          subject: environment,
          time: text(payload, 'createdAt'),
          data: {
            flag,
            environment,
            action: type,
            previous: toggled === null ? (preData?.enabled ?? null) : !toggled,
            value: toggled ?? data?.enabled ?? null,
            author: text(payload, 'createdBy'),
          },
        },
      ],
    };
  },
};
