/**
 * PostHog: a "HTTP Webhook" destination on the activity log (Data pipelines -> Destinations,
 * source: Activity log, filtered to scope FeatureFlag), posting the default body `{event, ...}`
 * with the header `Authorization: Bearer <secret>`. The activity entry's uuid names the delivery;
 * its `detail.changes` carry the before and after of each field changed.
 */
import type { ReceiverKind } from './kind.js';
import { at, isObject, object, required, text } from './payload.js';
import { tokenMatches } from './verify.js';

const TOOL = 'PostHog';

export const posthog: ReceiverKind = {
  kind: 'posthog',
  proof: 'Authorization: Bearer <receiver secret> (a header of the destination)',
  verify: (headers, _rawBody, secret) => tokenMatches(headers, secret),
  deliveryId: (_headers, payload) => text(payload, 'event.uuid'),
  map(payload) {
    const event = object(payload, 'event', TOOL, 'webhook destination body');
    required(event, 'event', TOOL, 'webhook destination body');
    const properties = object(event, 'properties', TOOL, 'activity log event');
    const scope = required(properties, 'scope', TOOL, 'activity log event');
    if (scope !== 'FeatureFlag') return { ignored: `activity on ${scope} is not recorded (FeatureFlag is)` };
    const changes = Array.isArray(at(properties, 'detail.changes'))
      ? (at(properties, 'detail.changes') as unknown[]).filter(isObject)
      : [];
    const active = changes.find((c) => c.field === 'active');
    const main = active ?? changes[0];
    const user = isObject(properties.user) ? properties.user : {};
    return {
      events: [
        {
          type: 'feature-flag',
          source: text(payload, 'project.name') ? `posthog/${text(payload, 'project.name')}` : 'posthog',
          time: text(event, 'timestamp'),
          data: {
            flag:
              text(properties, 'detail.name') ?? required(properties, 'item_id', TOOL, 'activity log event'),
            environment: text(payload, 'project.name'),
            action: text(properties, 'activity'),
            field: main ? (main.field ?? null) : null,
            previous: main ? (main.before ?? null) : null,
            value: main ? (main.after ?? null) : null,
            author: text(user, 'email') ?? text(user, 'first_name'),
          },
        },
      ],
    };
  },
};
