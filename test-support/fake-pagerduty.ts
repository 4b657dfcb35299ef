/**
 * PagerDuty Events API v2 (https://developer.pagerduty.com/docs/events-api-v2/overview/):
 * POST /v2/enqueue (alert events: routing_key, event_action, payload.summary/source/severity) and
 * POST /v2/change/enqueue (change events: routing_key, payload.summary/source); 202
 * `{status: "success", message: "Event processed", dedup_key}`; 400 `{status: "invalid event",
 * message: "Event object is invalid", errors}`; 429 when throttled.
 */
import { randomUUID } from 'node:crypto';
import { field, startFake } from './fake-service.js';

const SEVERITIES = ['critical', 'error', 'warning', 'info'];

export async function startFakePagerDuty(routingKey: string) {
  const fake = await startFake((req) => {
    if (req.method !== 'POST' || (req.path !== '/v2/enqueue' && req.path !== '/v2/change/enqueue'))
      return { status: 404, body: { status: 'not found' } };
    const errors: string[] = [];
    if (field(req.json, 'routing_key') !== routingKey) errors.push("'routing_key' is invalid");
    if (typeof field(req.json, 'payload', 'summary') !== 'string')
      errors.push("'payload.summary' is missing");
    if (req.path === '/v2/enqueue') {
      if (!['trigger', 'acknowledge', 'resolve'].includes(String(field(req.json, 'event_action'))))
        errors.push("'event_action' is invalid");
      if (typeof field(req.json, 'payload', 'source') !== 'string')
        errors.push("'payload.source' is missing");
      if (!SEVERITIES.includes(String(field(req.json, 'payload', 'severity'))))
        errors.push("'payload.severity' is invalid");
    }
    if (errors.length > 0)
      return { status: 400, body: { status: 'invalid event', message: 'Event object is invalid', errors } };
    return {
      status: 202,
      body: {
        status: 'success',
        message: 'Event processed',
        ...(req.path === '/v2/enqueue'
          ? { dedup_key: String(field(req.json, 'dedup_key') ?? randomUUID()) }
          : {}),
      },
    };
  });
  return {
    ...fake,
    throttled: {
      status: 429,
      body: {
        status: 'throttle event',
        message: 'Requests for this service are arriving too quickly. Please retry later.',
      },
    },
  };
}
