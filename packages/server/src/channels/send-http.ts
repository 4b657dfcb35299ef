/**
 * Posting a channel's request through the one outbound client (address policy, redirects, time
 * and size bounds) and reading the answer as the outbox keeps it: ok for 2xx, otherwise the
 * status and an excerpt of what the service said, with its Retry-After when it asked to slow down.
 */

import { OutboundError, type OutboundHttpClient } from '../outbound/http-client.js';
import type { SendResult } from '../reactions/outbox-sender.js';

const EXCERPT = 300;

export interface HttpSend {
  url: string;
  headers?: Record<string, string>;
  body: unknown;
  /** The raw body to send instead of JSON.stringify(body) (a signed webhook signs these bytes). */
  raw?: string;
  /** POST unless said; a GET sends no body. */
  method?: 'POST' | 'GET';
}

export async function sendHttp(http: OutboundHttpClient, req: HttpSend): Promise<SendResult> {
  const method = req.method ?? 'POST';
  const body = method === 'GET' ? undefined : (req.raw ?? JSON.stringify(req.body));
  try {
    const res = await http.request(req.url, {
      method,
      headers:
        body === undefined ? { ...req.headers } : { 'content-type': 'application/json', ...req.headers },
      body,
      timeoutMs: 8_000,
      maxBytes: 64 * 1024,
      maxRedirects: 2,
    });
    const text = res.body.toString('utf8').slice(0, EXCERPT).trim();
    const ok = res.status >= 200 && res.status < 300;
    const retryAfter = res.headers['retry-after'];
    const answer = `${res.status}${text ? ` ${text}` : ''}${
      res.status === 429 && retryAfter ? ` (rate limited; Retry-After: ${retryAfter})` : ''
    }`;
    return { ok, answer };
  } catch (error) {
    if (error instanceof OutboundError) return { ok: false, answer: error.message };
    throw error;
  }
}

/** A URL config field: http or https only. */
export function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/** A base URL and a path joined without doubled or missing slashes. */
export const joinUrl = (base: string, path: string) => `${base.replace(/\/+$/, '')}${path}`;
