/**
 * The one HTTP client for requests the server makes on an organization's behalf (client metadata
 * documents now; integrations, notification channels and health checks later). Every request:
 *
 * - goes only to http/https URLs, whose host is resolved first and each address judged by the
 *   address policy (address-policy.ts); the connection then goes to the judged address itself,
 *   so a second DNS answer cannot swap in another (DNS rebinding);
 * - follows at most `maxRedirects` redirects, each target judged again, dropping credentials
 *   when it leaves the origin;
 * - ends after `timeoutMs` in all (connect, headers and body), and after `maxBytes` of body;
 * - names itself with a User-Agent.
 *
 * Failures are OutboundError with a `reason` and a message fit to show the operator.
 */
import { lookup } from 'node:dns/promises';
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import { rootCertificates } from 'node:tls';
import { type AllowEntry, normalizeHost, parseAddress, refusal } from './address-policy.js';

export type OutboundFailure = 'url' | 'refused' | 'timeout' | 'too-large' | 'redirects' | 'network';

export class OutboundError extends Error {
  override name = 'OutboundError';
  constructor(
    readonly reason: OutboundFailure,
    message: string,
  ) {
    super(message);
  }
}

export interface OutboundOptions {
  /** Non-public targets the operator allows (OPSTRAILS_ALLOW_PRIVATE_TARGETS). */
  allow: readonly AllowEntry[];
  userAgent?: string;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** PEM certificates trusted beside the system's roots (OPSTRAILS_OUTBOUND_CA_FILE). */
  extraCa?: string;
}

export interface OutboundRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The URL that answered, after redirects. */
  url: string;
}

export const DEFAULT_USER_AGENT = 'OpsTrails (+https://github.com/opstrails)';
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'proxy-authorization'];

interface Target {
  url: URL;
  address: string;
  family: 4 | 6;
}

export class OutboundHttpClient {
  private readonly userAgent: string;
  private readonly timeoutMs: number;
  private readonly maxBytes: number;
  private readonly maxRedirects: number;
  private readonly ca: string[] | undefined;

  constructor(private readonly options: OutboundOptions) {
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.maxBytes = options.maxBytes ?? 1024 * 1024;
    this.maxRedirects = options.maxRedirects ?? 3;
    this.ca = options.extraCa ? [...rootCertificates, options.extraCa] : undefined;
  }

  async request(url: string | URL, init: OutboundRequest = {}): Promise<OutboundResponse> {
    const deadline = Date.now() + (init.timeoutMs ?? this.timeoutMs);
    const maxBytes = init.maxBytes ?? this.maxBytes;
    const maxRedirects = init.maxRedirects ?? this.maxRedirects;
    let current = parseUrl(url);
    let method = (init.method ?? 'GET').toUpperCase();
    let body = init.body;
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...lowerKeys(init.headers) };
    for (let followed = 0; ; followed++) {
      const target = await this.resolve(current, deadline);
      const response = await send(target, { method, headers, body, ca: this.ca }, deadline, maxBytes);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.status) || !location) return response;
      if (followed >= maxRedirects) {
        throw new OutboundError('redirects', `${current.origin}: more than ${maxRedirects} redirects`);
      }
      const next = parseUrl(new URL(location, current));
      if (next.origin !== current.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
      if (
        response.status === 303 ||
        ((response.status === 301 || response.status === 302) && method === 'POST')
      ) {
        method = 'GET';
        body = undefined;
        delete headers['content-type'];
      }
      current = next;
    }
  }

  /** Resolves the URL's host and picks the first address the policy admits. */
  private async resolve(url: URL, deadline: number): Promise<Target> {
    const host = normalizeHost(url.hostname);
    const literal = parseAddress(host);
    let addresses: { address: string; family: number }[];
    if (literal) {
      addresses = [{ address: host, family: literal.version }];
    } else {
      try {
        addresses = await withDeadline(lookup(host, { all: true, verbatim: true }), deadline, url);
      } catch (error) {
        if (error instanceof OutboundError) throw error;
        throw new OutboundError(
          'network',
          `${host}: the name does not resolve (${(error as Error).message})`,
        );
      }
    }
    let firstRefusal: string | null = null;
    for (const { address, family } of addresses) {
      const reason = refusal(this.options.allow, host, address);
      if (!reason) return { url, address, family: family === 6 ? 6 : 4 };
      firstRefusal ??= reason;
    }
    throw new OutboundError('refused', firstRefusal ?? `${host}: the name resolves to no address`);
  }
}

function parseUrl(value: string | URL): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OutboundError('url', `"${String(value)}" is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new OutboundError('url', `${url.protocol} URLs are not fetched; use http or https`);
  }
  return url;
}

function lowerKeys(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

async function withDeadline<T>(promise: Promise<T>, deadline: number, url: URL): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new OutboundError('timeout', `${url.origin}: no answer in time`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

interface Sending {
  method: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  ca: string[] | undefined;
}

function send(
  target: Target,
  sending: Sending,
  deadline: number,
  maxBytes: number,
): Promise<OutboundResponse> {
  const { url, address, family } = target;
  const { method, headers, body, ca } = sending;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const fail = (error: OutboundError) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      reject(error);
    };
    const request = client.request({
      protocol: url.protocol,
      hostname: normalizeHost(url.hostname),
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method,
      headers:
        body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      agent: false,
      ...(ca && url.protocol === 'https:' ? { ca } : {}),
      // Connect to the address the policy judged, never to a fresh DNS answer.
      lookup: (_host, options, callback) => {
        if ((options as { all?: boolean }).all) callback(null, [{ address, family }]);
        else (callback as (e: null, a: string, f: number) => void)(null, address, family);
      },
    });
    const timer = setTimeout(
      () => fail(new OutboundError('timeout', `${url.origin}: no complete answer in time`)),
      Math.max(0, deadline - Date.now()),
    );
    request.on('error', (error) =>
      fail(new OutboundError('network', `${url.origin}: ${error.message || 'the connection failed'}`)),
    );
    request.on('response', (response: IncomingMessage) => {
      const declared = Number(response.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        fail(new OutboundError('too-large', `${url.origin}: the answer is over ${maxBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > maxBytes) {
          fail(new OutboundError('too-large', `${url.origin}: the answer is over ${maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('error', (error) => fail(new OutboundError('network', `${url.origin}: ${error.message}`)));
      response.on('end', () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks),
          url: url.toString(),
        });
      });
    });
    request.end(body);
  });
}
