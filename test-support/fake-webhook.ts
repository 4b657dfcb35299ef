/**
 * A webhook receiver as a user would write one: it checks `X-OpsTrails-Signature` (hex
 * HMAC-SHA256 of the raw body with the shared secret) and refuses a bad or missing one with 401,
 * and it drops a delivery id it has already processed (a resend), answering 200.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type FakeRequest, startFake } from './fake-service.js';

export async function startWebhookReceiver(secret: string | null) {
  const processed = new Map<string, FakeRequest>();
  const fake = await startFake((req) => {
    if (req.method !== 'POST' || req.path !== '/hook') return { status: 404, body: 'not found' };
    if (secret !== null) {
      const sent = String(req.headers['x-opstrails-signature'] ?? '');
      const expected = createHmac('sha256', secret).update(req.raw).digest('hex');
      if (sent.length !== expected.length || !timingSafeEqual(Buffer.from(sent), Buffer.from(expected)))
        return { status: 401, body: 'bad signature' };
    }
    const id = String(req.headers['x-opstrails-delivery']);
    if (!processed.has(id)) processed.set(id, req);
    return { status: 200, body: 'ok' };
  });
  return { ...fake, url: `${fake.base}/hook`, processed };
}
