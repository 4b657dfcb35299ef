/**
 * Google Chat incoming webhooks (https://developers.google.com/workspace/chat/quickstart/webhooks):
 * POST /v1/spaces/{space}/messages?key=…&token=…, JSON with `text` and/or `cardsV2`; 200 with the
 * created message; 400 INVALID_ARGUMENT for a bad card; 401 for a wrong key or token; 429
 * RESOURCE_EXHAUSTED when over the space's quota.
 */
import { field, startFake } from './fake-service.js';

export async function startFakeGoogleChat() {
  let n = 0;
  const fake = await startFake((req) => {
    if (req.method !== 'POST' || req.path !== '/v1/spaces/AAAA/messages')
      return { status: 404, body: { error: { code: 404, status: 'NOT_FOUND' } } };
    if (req.query.get('key') !== 'k' || req.query.get('token') !== 't')
      return {
        status: 401,
        body: {
          error: {
            code: 401,
            message: 'Request had invalid authentication credentials.',
            status: 'UNAUTHENTICATED',
          },
        },
      };
    const cards = field(req.json, 'cardsV2');
    if (typeof field(req.json, 'text') !== 'string' && !Array.isArray(cards))
      return {
        status: 400,
        body: { error: { code: 400, message: 'Message cannot be empty.', status: 'INVALID_ARGUMENT' } },
      };
    if (Array.isArray(cards) && cards.some((c) => typeof field(c, 'card', 'sections') !== 'object'))
      return {
        status: 400,
        body: {
          error: { code: 400, message: 'Invalid JSON payload: card.sections', status: 'INVALID_ARGUMENT' },
        },
      };
    n += 1;
    return {
      status: 200,
      body: {
        name: `spaces/AAAA/messages/${n}`,
        text: field(req.json, 'text'),
        createTime: new Date().toISOString(),
      },
    };
  });
  return {
    ...fake,
    webhookUrl: `${fake.base}/v1/spaces/AAAA/messages?key=k&token=t`,
    exhausted: {
      status: 429,
      body: {
        error: {
          code: 429,
          message: 'Resource has been exhausted (e.g. check quota).',
          status: 'RESOURCE_EXHAUSTED',
        },
      },
    },
  };
}
