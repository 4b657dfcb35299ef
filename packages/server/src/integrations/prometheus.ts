/**
 * Prometheus (and what speaks its HTTP API: Thanos, Mimir, VictoriaMetrics): the self-hoster's
 * provider. Series come from `/api/v1/query_range` with start and end on the step grid; each
 * attempt has a timeout, 5xx answers and network failures are retried with backoff, and a
 * failure quotes what Prometheus answered. Every request goes through the outbound client, so the
 * address policy applies (a Prometheus on localhost needs OPSTRAILS_ALLOW_PRIVATE_TARGETS).
 */
import { badRequest } from '../http/envelope.js';
import { OutboundError, type OutboundHttpClient, type OutboundResponse } from '../outbound/http-client.js';
import { isMask, maskSecret } from '../secrets.js';
import {
  type IntegrationProvider,
  type ProviderDefinition,
  ProviderError,
  type SeriesPoint,
  type SeriesRequest,
  type SplitConfig,
  type TestOutcome,
} from './provider.js';

const FIELDS = new Set(['url', 'apiBaseUrl', 'bearerToken', 'basicAuth', 'headers']);
const EXAMPLE = '{"url": "http://prometheus.internal:9090"}';
const ATTEMPTS = 3;
const BACKOFF_MS = 250;
const TIMEOUT_MS = 10_000;
/** A range answer is at most 11,000 points per series: about 300 KB of JSON; leave room. */
const MAX_BYTES = 8 * 1024 * 1024;

function httpUrl(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw badRequest(`config.${field}`, `is required; send ${EXAMPLE}`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw badRequest(`config.${field}`, `"${value.slice(0, 200)}" is not a URL; send ${EXAMPLE}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw badRequest(`config.${field}`, `must be an http or https URL, not ${url.protocol}`);
  if (url.username || url.password)
    throw badRequest(
      `config.${field}`,
      'must not carry credentials; use config.basicAuth or config.bearerToken',
    );
  return value.replace(/\/+$/, '');
}

/** A secret field: a new value, or its mask sent back unchanged (keeps the stored one). */
function secret(value: unknown, field: string, stored: string | undefined): string {
  if (typeof value !== 'string' || value === '')
    throw badRequest(`config.${field}`, 'must be a non-empty string');
  if (isMask(value)) {
    if (stored === undefined)
      throw badRequest(`config.${field}`, 'is a mask ("••••…"); send the secret itself');
    return stored;
  }
  return value;
}

export const prometheus: ProviderDefinition = {
  name: 'prometheus',

  parseConfig(raw, stored = {}) {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw badRequest('config', `must be a JSON object such as ${EXAMPLE}`);
    const c = raw as Record<string, unknown>;
    const unknown = Object.keys(c).find((k) => !FIELDS.has(k));
    if (unknown)
      throw badRequest(`config.${unknown}`, `is not a Prometheus setting (${[...FIELDS].join(', ')})`);
    const plain: Record<string, unknown> = { url: httpUrl(c.url, 'url') };
    if (c.apiBaseUrl !== undefined && c.apiBaseUrl !== null)
      plain.apiBaseUrl = httpUrl(c.apiBaseUrl, 'apiBaseUrl');
    const secrets: Record<string, string> = {};
    if (c.bearerToken !== undefined && c.bearerToken !== null)
      secrets.bearerToken = secret(c.bearerToken, 'bearerToken', stored.bearerToken);
    if (c.basicAuth !== undefined && c.basicAuth !== null) {
      const b = c.basicAuth as Record<string, unknown>;
      if (typeof b !== 'object' || Array.isArray(b) || typeof b.username !== 'string' || b.username === '')
        throw badRequest('config.basicAuth', 'must be {"username": "…", "password": "…"}');
      const extra = Object.keys(b).find((k) => k !== 'username' && k !== 'password');
      if (extra) throw badRequest(`config.basicAuth.${extra}`, 'is not a field; send username and password');
      plain.basicAuth = { username: b.username };
      secrets.basicAuthPassword = secret(b.password, 'basicAuth.password', stored.basicAuthPassword);
    }
    if (secrets.bearerToken && secrets.basicAuthPassword)
      throw badRequest(
        'config',
        'give bearerToken or basicAuth, not both: Prometheus reads one Authorization header',
      );
    if (c.headers !== undefined && c.headers !== null) {
      if (typeof c.headers !== 'object' || Array.isArray(c.headers))
        throw badRequest(
          'config.headers',
          'must be an object of header names to values, such as {"X-Scope-OrgID": "team-a"}',
        );
      const names: string[] = [];
      for (const [name, value] of Object.entries(c.headers as Record<string, unknown>)) {
        if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(name))
          throw badRequest(`config.headers`, `"${name.slice(0, 100)}" is not an HTTP header name`);
        if (['host', 'content-length', 'content-type'].includes(name.toLowerCase()))
          throw badRequest(`config.headers.${name}`, 'is set by OpsTrails; leave it out');
        const v = secret(value, `headers.${name}`, stored[`header:${name}`]);
        if (/[\r\n]/.test(v)) throw badRequest(`config.headers.${name}`, 'must be one line');
        secrets[`header:${name}`] = v;
        names.push(name);
      }
      plain.headers = names;
    }
    return { plain, secrets };
  },

  describe({ plain, secrets }) {
    const shown: Record<string, unknown> = { url: plain.url };
    if (plain.apiBaseUrl) shown.apiBaseUrl = plain.apiBaseUrl;
    if (secrets.bearerToken) shown.bearerToken = maskSecret(secrets.bearerToken);
    if (plain.basicAuth)
      shown.basicAuth = {
        ...(plain.basicAuth as object),
        password: maskSecret(secrets.basicAuthPassword ?? ''),
      };
    if (Array.isArray(plain.headers))
      shown.headers = Object.fromEntries(
        (plain.headers as string[]).map((name) => [name, maskSecret(secrets[`header:${name}`] ?? '')]),
      );
    return shown;
  },

  create(config, http) {
    return new PrometheusProvider(config, http);
  },
};

/** A value put into a PromQL double-quoted string (`env="$subject"`). */
export const escapePromQl = (value: string) => value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n');

interface PromAnswer {
  status?: string;
  error?: string;
  errorType?: string;
  data?: { resultType?: string; result?: { metric?: Record<string, string>; values?: [number, string][] }[] };
}

export class PrometheusProvider implements IntegrationProvider {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(
    { plain, secrets }: SplitConfig,
    private readonly http: OutboundHttpClient,
    private readonly options: { attempts?: number; backoffMs?: number; timeoutMs?: number } = {},
  ) {
    this.base = String(plain.apiBaseUrl ?? plain.url);
    this.headers = {};
    for (const [key, value] of Object.entries(secrets)) {
      if (key.startsWith('header:')) this.headers[key.slice('header:'.length)] = value;
    }
    if (secrets.bearerToken) this.headers.authorization = `Bearer ${secrets.bearerToken}`;
    if (secrets.basicAuthPassword) {
      const user = (plain.basicAuth as { username: string }).username;
      this.headers.authorization = `Basic ${Buffer.from(`${user}:${secrets.basicAuthPassword}`).toString('base64')}`;
    }
  }

  async fetchSeries({ query, from, to, stepSeconds }: SeriesRequest): Promise<SeriesPoint[]> {
    const stepMs = stepSeconds * 1000;
    // On the step grid, so the same range always reads the same instants; `to` is exclusive.
    const start = Math.ceil(from / stepMs) * stepMs;
    const end = Math.ceil(to / stepMs) * stepMs - stepMs;
    if (end < start) return [];
    const answer = await this.call('/api/v1/query_range', {
      query,
      start: String(start / 1000),
      end: String(end / 1000),
      step: String(stepSeconds),
    });
    const result = answer.data?.result ?? [];
    if (answer.data?.resultType !== 'matrix')
      throw new ProviderError(
        `Prometheus answered a ${answer.data?.resultType ?? 'shapeless'} result, not a range (matrix)`,
      );
    if (result.length > 1) {
      const labels = result.slice(0, 2).map((s) => JSON.stringify(s.metric ?? {}));
      throw new ProviderError(
        `the query returns ${result.length} series (${labels.join(', ')}, …); aggregate it to one, e.g. sum(…) or avg(…)`,
      );
    }
    const points: SeriesPoint[] = [];
    for (const [seconds, text] of result[0]?.values ?? []) {
      const value = Number(text);
      // NaN and ±Inf (a division by zero in the query) are gaps, not values.
      if (Number.isFinite(value)) points.push({ time: Math.round(seconds * 1000), value });
    }
    return points;
  }

  async test(): Promise<TestOutcome> {
    try {
      const answer = await this.call('/api/v1/query', { query: 'vector(1)' });
      if (answer.data?.resultType !== 'vector')
        return {
          ok: false,
          message: `Prometheus answered an unexpected ${answer.data?.resultType ?? 'shape'} to vector(1)`,
        };
      return { ok: true, message: `Prometheus at ${this.base} answered the query vector(1)` };
    } catch (error) {
      if (error instanceof ProviderError) return { ok: false, message: error.message };
      throw error;
    }
  }

  /** POSTs a form to the API (queries can be longer than a URL), retrying 5xx and network failures. */
  private async call(path: string, form: Record<string, string>): Promise<PromAnswer> {
    const attempts = this.options.attempts ?? ATTEMPTS;
    const backoff = this.options.backoffMs ?? BACKOFF_MS;
    let failure = '';
    let tries = 0;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      tries = attempt;
      if (attempt > 1) await new Promise((r) => setTimeout(r, backoff * 2 ** (attempt - 2)));
      let response: OutboundResponse;
      try {
        response = await this.http.request(`${this.base}${path}`, {
          method: 'POST',
          headers: {
            ...this.headers,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: new URLSearchParams(form).toString(),
          timeoutMs: this.options.timeoutMs ?? TIMEOUT_MS,
          maxBytes: MAX_BYTES,
        });
      } catch (error) {
        if (!(error instanceof OutboundError)) throw error;
        // The address policy and a bad URL will not change on a retry.
        if (error.reason === 'refused' || error.reason === 'url' || error.reason === 'too-large')
          throw new ProviderError(error.message);
        failure = error.message;
        continue;
      }
      const answer = parse(response);
      if (response.status >= 200 && response.status < 300 && answer?.status === 'success') return answer;
      failure = describeFailure(response, answer);
      if (response.status < 500) break;
    }
    throw new ProviderError(tries > 1 ? `${failure} (after ${tries} attempts)` : failure);
  }
}

function parse(response: OutboundResponse): PromAnswer | null {
  try {
    return JSON.parse(response.body.toString('utf8')) as PromAnswer;
  } catch {
    return null;
  }
}

function describeFailure(response: OutboundResponse, answer: PromAnswer | null): string {
  if (answer?.error)
    return `Prometheus answered ${response.status}: ${answer.errorType ? `${answer.errorType}: ` : ''}${answer.error}`;
  if (response.status === 401 || response.status === 403)
    return `Prometheus answered ${response.status}: the credentials were refused; check bearerToken or basicAuth`;
  const text = response.body.toString('utf8').trim().slice(0, 300);
  return `Prometheus answered ${response.status}${text ? `: ${text}` : ''} (${response.url})`;
}
