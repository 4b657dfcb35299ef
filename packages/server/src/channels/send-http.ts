/**
 * Posting a channel's request through the one outbound client (address policy, redirects, time
 * and size bounds) and reading the answer as the outbox keeps it: ok for 2xx, otherwise the
 * status and an excerpt of what the service said, with its Retry-After when it asked to slow down
 * (which the outbox honours), and marked permanent when no retry can succeed.
 */

import { OutboundError, type OutboundFailure, type OutboundHttpClient } from '../outbound/http-client.js';
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
    const retryAfter = headerValue(res.headers['retry-after']);
    const answer = `${res.status}${text ? ` ${text}` : ''}${
      res.status === 429 && retryAfter ? ` (rate limited; Retry-After: ${retryAfter})` : ''
    }`;
    const retryAfterMs = res.status === 429 || res.status === 503 ? parseRetryAfter(retryAfter) : undefined;
    return {
      ok,
      answer,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      ...(ok || !refusesForGood(res.status)
        ? {}
        : { permanent: `the service refused the request (${res.status}); check the channel's settings` }),
    };
  } catch (error) {
    if (!(error instanceof OutboundError)) throw error;
    const permanent = PERMANENT_FAILURES[error.reason];
    return { ok: false, answer: error.message, ...(permanent ? { permanent } : {}) };
  }
}

/**
 * Failures no retry can mend: the target itself is not allowed or not a URL. Time-outs, broken
 * connections and oversized answers may pass; DNS that does not resolve is `network`, retried.
 */
const PERMANENT_FAILURES: Partial<Record<OutboundFailure, string>> = {
  refused: 'the outbound address policy refuses this target (see OPSTRAILS_ALLOW_PRIVATE_TARGETS)',
  url: "the channel's URL cannot be sent to",
  redirects: 'the target redirects too often',
};

/** A 4xx says the request itself is wrong (bad key, unknown route): resending it changes nothing. Not 408 (timeout) or 429 (slow down). */
export const refusesForGood = (status: number) =>
  status >= 400 && status < 500 && status !== 408 && status !== 429;

const headerValue = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** Retry-After as milliseconds from now: delay-seconds or an HTTP date (RFC 9110 section 10.2.3). */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
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
