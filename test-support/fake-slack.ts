/**
 * Slack incoming webhooks (https://api.slack.com/messaging/webhooks): POST JSON to
 * /services/T…/B…/secret; 200 `ok`; 400 `invalid_payload` / `no_text`; 404 `no_service` for an
 * unknown URL; 429 with Retry-After when rate limited (about one message per second).
 */
import { field, startFake } from './fake-service.js';

export async function startFakeSlack() {
  const fake = await startFake((req) => {
    if (req.method !== 'POST' || req.path !== '/services/T000/B000/XXXX')
      return { status: 404, body: 'no_service' };
    if (!String(req.headers['content-type']).startsWith('application/json') || req.json === undefined)
      return { status: 400, body: 'invalid_payload' };
    const text = field(req.json, 'text');
    const blocks = field(req.json, 'blocks');
    if (typeof text !== 'string' && !Array.isArray(blocks)) return { status: 400, body: 'no_text' };
    if (Array.isArray(blocks) && blocks.some((b) => typeof field(b, 'type') !== 'string'))
      return { status: 400, body: 'invalid_blocks' };
    return { status: 200, body: 'ok' };
  });
  return {
    ...fake,
    webhookUrl: `${fake.base}/services/T000/B000/XXXX`,
    rateLimited: { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' },
  };
}
