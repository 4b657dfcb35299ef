/**
 * Opsgenie Alert API (https://docs.opsgenie.com/docs/alert-api): POST /v2/alerts with
 * `Authorization: GenieKey <key>`; `message` required (at most 130 characters), priority P1-P5;
 * 202 `{result: "Request will be processed", took, requestId}`; 401 for a wrong key; 422 for a
 * bad body; 429 with X-RateLimit-* headers when over the limit.
 */
import { randomUUID } from 'node:crypto';
import { field, startFake } from './fake-service.js';

export async function startFakeOpsgenie(apiKey: string) {
  const fake = await startFake((req) => {
    if (req.method !== 'POST' || req.path !== '/v2/alerts')
      return { status: 404, body: { message: 'Not found' } };
    if (req.headers.authorization !== `GenieKey ${apiKey}`)
      return {
        status: 401,
        body: { message: 'Key format is not valid!', took: 0.001, requestId: randomUUID() },
      };
    const message = field(req.json, 'message');
    const priority = field(req.json, 'priority');
    if (typeof message !== 'string' || message.length === 0 || message.length > 130)
      return {
        status: 422,
        body: {
          message: 'Request body is not processable. Please check the errors.',
          errors: { message: 'Message can not be empty.' },
        },
      };
    if (priority !== undefined && !/^P[1-5]$/.test(String(priority)))
      return {
        status: 422,
        body: {
          message: 'Request body is not processable. Please check the errors.',
          errors: { priority: 'Priority should be one of [P1, P2, P3, P4, P5]' },
        },
      };
    return {
      status: 202,
      body: { result: 'Request will be processed', took: 0.02, requestId: randomUUID() },
    };
  });
  return {
    ...fake,
    rateLimited: {
      status: 429,
      headers: { 'x-ratelimit-state': 'THROTTLED', 'x-ratelimit-period-in-sec': '60' },
      body: { message: 'You are making too many requests!' },
    },
  };
}
