/**
 * What the SaaS connectors (Datadog, Sentry, New Relic, GA4, Adobe) share: config fields checked
 * and split into plain and sealed, one JSON call through the outbound client (timeout, retries of
 * 5xx and network failures with backoff, the provider's 429 honoured by waiting out its reset
 * when that is short and otherwise saying when to come back), cached access tokens, and series
 * put on the step grid. Each provider file brings its URLs, auth and how its answers read.
 */
import { createHash } from 'node:crypto';
import { badRequest } from '../http/envelope.js';
import { OutboundError, type OutboundHttpClient, type OutboundResponse } from '../outbound/http-client.js';
import { isMask, maskSecret } from '../secrets.js';
import { ProviderError, type SeriesPoint, type SplitConfig } from './provider.js';

export interface CallOptions {
  attempts?: number;
  backoffMs?: number;
  timeoutMs?: number;
  /** The longest rate-limit reset worth waiting for inside one read; longer ones fail with the wait. */
  maxRateWaitMs?: number;
  /** Rows asked for per page where the API pages (its maximum unless a test wants pages). */
  pageSize?: number;
}

const DEFAULTS = { attempts: 3, backoffMs: 250, timeoutMs: 10_000, maxRateWaitMs: 5_000 };
const MAX_BYTES = 8 * 1024 * 1024;

/** One provider's field checks: `fields` are every field it takes, `secretFields` those sealed. */
export class ConfigReader {
  readonly plain: Record<string, unknown> = {};
  readonly secrets: Record<string, string> = {};
  private readonly c: Record<string, unknown>;

  constructor(
    raw: unknown,
    private readonly provider: string,
    fields: readonly string[],
    private readonly example: string,
    private readonly stored: Record<string, string> = {},
  ) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw badRequest('config', `must be a JSON object such as ${example}`);
    this.c = raw as Record<string, unknown>;
    const unknown = Object.keys(this.c).find((k) => !fields.includes(k));
    if (unknown)
      throw badRequest(
        `config.${unknown.slice(0, 100)}`,
        `is not a ${provider} setting (${fields.join(', ')})`,
      );
  }

  private present(field: string): boolean {
    return this.c[field] !== undefined && this.c[field] !== null;
  }

  text(
    field: string,
    options: { optional?: boolean; pattern?: RegExp; hint?: string } = {},
  ): string | undefined {
    if (!this.present(field)) {
      if (options.optional) return undefined;
      throw badRequest(`config.${field}`, `is required for ${this.provider}; send ${this.example}`);
    }
    const v = this.c[field];
    if (typeof v !== 'string' || v.trim() === '' || v.length > 500)
      throw badRequest(`config.${field}`, 'must be a non-empty string of at most 500 characters');
    if (options.pattern && !options.pattern.test(v))
      throw badRequest(`config.${field}`, `"${v.slice(0, 100)}" ${options.hint ?? 'is not valid'}`);
    this.plain[field] = v.trim();
    return v.trim();
  }

  oneOf(field: string, values: readonly string[], fallback?: string): string {
    const v = this.present(field) ? this.c[field] : fallback;
    if (typeof v !== 'string' || !values.includes(v))
      throw badRequest(`config.${field}`, `must be one of ${values.join(', ')}`);
    this.plain[field] = v;
    return v;
  }

  url(field: string): string | undefined {
    if (!this.present(field)) return undefined;
    const v = this.c[field];
    let url: URL;
    try {
      url = new URL(String(v));
    } catch {
      throw badRequest(`config.${field}`, `"${String(v).slice(0, 200)}" is not a URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw badRequest(`config.${field}`, `must be an http or https URL, not ${url.protocol}`);
    if (url.username || url.password) throw badRequest(`config.${field}`, 'must not carry credentials');
    const clean = String(v).replace(/\/+$/, '');
    this.plain[field] = clean;
    return clean;
  }

  /** A sealed field: a new value, or its mask sent back unchanged (keeps the stored one). */
  secret(field: string, value: unknown = this.c[field]): string {
    if (value === undefined || value === null)
      throw badRequest(`config.${field}`, `is required for ${this.provider}; send ${this.example}`);
    if (typeof value !== 'string' || value === '')
      throw badRequest(`config.${field}`, 'must be a non-empty string');
    let v = value;
    if (isMask(value)) {
      const kept = this.stored[field];
      if (kept === undefined)
        throw badRequest(`config.${field}`, 'is a mask ("••••…"); send the secret itself');
      v = kept;
    }
    this.secrets[field] = v;
    return v;
  }

  raw(field: string): unknown {
    return this.c[field];
  }

  done(): SplitConfig {
    return { plain: this.plain, secrets: this.secrets };
  }
}

/** The config as answers show it: every plain field, every secret masked. */
export function describeMasked({ plain, secrets }: SplitConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = { ...plain };
  for (const [k, v] of Object.entries(secrets)) shown[k] = maskSecret(v);
  return shown;
}

export interface JsonRequest {
  url: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface JsonAnswer {
  status: number;
  headers: OutboundResponse['headers'];
  json: unknown;
  text: string;
}

/** How one provider reads its answers: a failure in its own words, and its rate-limit reset. */
export interface ProviderVoice {
  label: string;
  /** What the provider said in a failed answer (its error field), or '' when it said nothing readable. */
  said(answer: JsonAnswer): string;
  /** Seconds until the rate limit resets, from the provider's header; undefined when it gives none. */
  resetSeconds(answer: JsonAnswer): number | undefined;
  /** A hint for a 401/403: which credential to check. */
  authHint: string;
}

const header = (a: JsonAnswer, name: string) => {
  const v = a.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** `Retry-After` in seconds or as an HTTP date. */
export function retryAfterSeconds(a: JsonAnswer, name = 'retry-after'): number | undefined {
  const v = header(a, name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - Date.now()) / 1000);
}

/** A header holding seconds to wait (`delta`) or the epoch second of the reset (`epoch`). */
export function headerSeconds(a: JsonAnswer, name: string, kind: 'delta' | 'epoch'): number | undefined {
  const v = Number(header(a, name));
  if (!Number.isFinite(header(a, name) === undefined ? Number.NaN : v)) return undefined;
  return kind === 'delta' ? Math.max(0, v) : Math.max(0, v - Date.now() / 1000);
}

/**
 * One JSON call: 2xx answers are returned; 5xx and network failures are retried with backoff;
 * a 429 waits out a short reset and tries again, a long one fails saying when to retry; any other
 * answer fails at once quoting what the provider said.
 */
export async function callJson(
  http: OutboundHttpClient,
  voice: ProviderVoice,
  req: JsonRequest,
  options: CallOptions = {},
): Promise<JsonAnswer> {
  const o = { ...DEFAULTS, ...options };
  let failure = '';
  let tries = 0;
  let delayMs = 0;
  for (let attempt = 1; attempt <= o.attempts; attempt++) {
    tries = attempt;
    if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
    delayMs = o.backoffMs * 2 ** (attempt - 1);
    let response: OutboundResponse;
    try {
      response = await http.request(req.url, {
        method: req.method ?? 'GET',
        headers: { accept: 'application/json', ...req.headers },
        body: req.body,
        timeoutMs: o.timeoutMs,
        maxBytes: MAX_BYTES,
      });
    } catch (error) {
      if (!(error instanceof OutboundError)) throw error;
      if (error.reason === 'refused' || error.reason === 'url' || error.reason === 'too-large')
        throw new ProviderError(`${voice.label}: ${error.message}`);
      failure = `${voice.label} did not answer: ${error.message}`;
      continue;
    }
    const text = response.body.toString('utf8');
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    const answer: JsonAnswer = { status: response.status, headers: response.headers, json, text };
    if (response.status >= 200 && response.status < 300) return answer;
    const said = voice.said(answer) || text.trim().slice(0, 300);
    const quoted = said ? `: ${said}` : '';
    if (response.status === 429) {
      const reset = voice.resetSeconds(answer);
      const waitMs = reset === undefined ? o.backoffMs * 2 ** (attempt - 1) : Math.ceil(reset * 1000);
      failure = `${voice.label} rate limit reached (429${quoted})${
        reset === undefined ? '' : `; it resets in ${Math.ceil(reset)} s`
      }`;
      if (waitMs > o.maxRateWaitMs) throw new ProviderError(`${failure}; try again then`);
      delayMs = waitMs;
      continue;
    }
    if (response.status === 401 || response.status === 403)
      throw new CredentialsRefused(
        `${voice.label} refused the credentials (${response.status}${quoted}); ${voice.authHint}`,
        response.status,
      );
    failure = `${voice.label} answered ${response.status}${quoted}`;
    if (response.status < 500) throw new ProviderError(failure);
  }
  throw new ProviderError(tries > 1 ? `${failure} (after ${tries} attempts)` : failure);
}

/** A provider's refusal of the credentials, so a caller holding a cached token can fetch a new one. */
export class CredentialsRefused extends ProviderError {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

interface CachedToken {
  token: string;
  expiresAt: number;
}

/**
 * Access tokens by credential (providers are made per call, tokens outlive them), refreshed a
 * minute before they expire or when the API refuses one.
 */
const tokens = new Map<string, CachedToken>();
const pending = new Map<string, Promise<CachedToken>>();

export async function cachedToken(key: string, fetchToken: () => Promise<CachedToken>): Promise<string> {
  const hit = tokens.get(key);
  if (hit && hit.expiresAt - 60_000 > Date.now()) return hit.token;
  let p = pending.get(key);
  if (!p) {
    p = fetchToken().finally(() => pending.delete(key));
    pending.set(key, p);
  }
  const fresh = await p;
  tokens.set(key, fresh);
  return fresh.token;
}

export const forgetToken = (key: string) => tokens.delete(key);

/** A cache key naming a credential by its digest, so the secret itself is not kept as a key. */
export const credentialKey = (...parts: string[]) =>
  createHash('sha256').update(parts.join('\u0000')).digest('hex');

/**
 * Points on the step grid within [from, to): each point's time floored to its step, the values
 * of one step combined (`sum` for counts read at a finer grain, `avg` otherwise), gaps left out.
 */
export function onGrid(
  points: SeriesPoint[],
  from: number,
  to: number,
  stepSeconds: number,
  combine: 'avg' | 'sum' = 'avg',
): SeriesPoint[] {
  const stepMs = stepSeconds * 1000;
  const buckets = new Map<number, { total: number; n: number }>();
  for (const p of points) {
    if (!Number.isFinite(p.value) || p.time < from || p.time >= to) continue;
    const t = Math.floor(p.time / stepMs) * stepMs;
    const b = buckets.get(t) ?? { total: 0, n: 0 };
    b.total += p.value;
    b.n += 1;
    buckets.set(t, b);
  }
  return [...buckets.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([time, b]) => ({ time, value: combine === 'sum' ? b.total : b.total / b.n }));
}

/** A provider read that returned more than one series: ask for one. */
export function oneSeriesOnly(label: string, count: number, names: string[], fix: string): ProviderError {
  return new ProviderError(
    `${label} returned ${count} series (${names.slice(0, 2).join(', ')}${count > 2 ? ', …' : ''}); ${fix}`,
  );
}

/** Wall-clock fields of an instant in an IANA time zone, and back: reports keyed by local minute. */
export function zonedToEpoch(
  parts: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): number {
  const guess = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  // The zone's offset at the guess, then at the corrected instant (right across DST changes).
  let t = guess - offsetMs(guess, timeZone);
  t = guess - offsetMs(t, timeZone);
  return t;
}

function offsetMs(at: number, timeZone: string): number {
  const f = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const p = Object.fromEntries(f.formatToParts(new Date(at)).map((x) => [x.type, x.value]));
  const local = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  return local - Math.floor(at / 1000) * 1000;
}

/** The calendar date of an instant in a time zone, as YYYY-MM-DD. */
export function zonedDate(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date(at));
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
