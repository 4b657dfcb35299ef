/**
 * Datadog's Events API v2 intake (https://docs.datadoghq.com/api/latest/events/#post-an-event):
 * POST /api/v2/events with `DD-API-KEY`, `{data: {type: "event", attributes: {category: "change",
 * title, message?, timestamp?, tags?, attributes: {changed_resource: {name, type}, …}}}}`; 202 with
 * the event; 403 `{errors: ["Forbidden"]}` for a wrong key; 400 for a bad body; 429 with
 * X-RateLimit-Reset when rate limited.
 */
import { field, startFake } from './fake-service.js';

export async function startFakeDatadog(apiKey: string) {
  const fake = await startFake((req) => {
    if (req.method !== 'POST' || req.path !== '/api/v2/events')
      return { status: 404, body: { errors: ['Not Found'] } };
    if (req.headers['dd-api-key'] !== apiKey) return { status: 403, body: { errors: ['Forbidden'] } };
    const a = field(req.json, 'data', 'attributes');
    const errors: string[] = [];
    if (field(req.json, 'data', 'type') !== 'event') errors.push('data.type must be "event"');
    if (!['change', 'alert'].includes(String(field(a, 'category'))))
      errors.push('category must be change or alert');
    if (typeof field(a, 'title') !== 'string') errors.push('title is required');
    if (field(a, 'category') === 'change') {
      if (typeof field(a, 'attributes', 'changed_resource', 'name') !== 'string')
        errors.push('changed_resource.name is required');
      if (
        !['feature_flag', 'configuration'].includes(
          String(field(a, 'attributes', 'changed_resource', 'type')),
        )
      )
        errors.push('changed_resource.type must be feature_flag or configuration');
    }
    if (errors.length > 0) return { status: 400, body: { errors } };
    return { status: 202, body: { data: { type: 'event', id: 'evt-1', attributes: a } } };
  });
  return {
    ...fake,
    rateLimited: {
      status: 429,
      headers: { 'x-ratelimit-reset': '2', 'x-ratelimit-limit': '1000' },
      body: { errors: ['Too many requests'] },
    },
  };
}
