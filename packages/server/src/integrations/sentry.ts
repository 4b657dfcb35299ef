/**
 * Sentry release health: `GET /api/0/organizations/{org}/sessions/?field&interval&start&end`
 * (optionally `project`, `query`) with a bearer auth token. A mapping's query is the field, then
 * optionally a search such as `environment:$subject` passed as `query`. The answer is
 * `{intervals: [iso…], groups: [{by, totals, series: {<field>: [v…]}}]}`; a failure is
 * `{detail: "…"}`; a 429 carries `Retry-After` and `X-Sentry-Rate-Limit-Reset` (epoch seconds).
 */
import type { OutboundHttpClient } from '../outbound/http-client.js';
import {
  type IntegrationProvider,
  type ProviderDefinition,
  ProviderError,
  type SeriesPoint,
  type SeriesRequest,
  type SplitConfig,
  type TestOutcome,
} from './provider.js';
import {
  type CallOptions,
  ConfigReader,
  callJson,
  describeMasked,
  headerSeconds,
  onGrid,
  type ProviderVoice,
  retryAfterSeconds,
} from './saas.js';

const FIELDS = ['authToken', 'organization', 'url', 'project', 'apiBaseUrl'];
const EXAMPLE = '{"authToken": "sntrys_…", "organization": "acme"}';

export const sentryVoice: ProviderVoice = {
  label: 'Sentry',
  said: (a) => {
    const j = a.json as { detail?: unknown } | Record<string, unknown> | undefined;
    if (!j || typeof j !== 'object') return '';
    if ('detail' in j && j.detail !== undefined) return String(j.detail);
    // A validation answer: {"field": ["message"]}.
    return Object.entries(j)
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(' ') : String(v)}`)
      .join('; ');
  },
  resetSeconds: (a) => retryAfterSeconds(a) ?? headerSeconds(a, 'x-sentry-rate-limit-reset', 'epoch'),
  authHint: 'check authToken (an organization auth token or a user token with org:read and project:read)',
};

export const sentry: ProviderDefinition = {
  name: 'sentry',
  parseConfig(raw, stored) {
    const r = new ConfigReader(raw, 'Sentry', FIELDS, EXAMPLE, stored);
    r.secret('authToken');
    r.text('organization', {
      pattern: /^[a-z0-9_-]+$/i,
      hint: 'is not an organization slug (as in sentry.io/organizations/<slug>/)',
    });
    r.url('url');
    r.text('project', {
      optional: true,
      pattern: /^-?\d+$/,
      hint: 'must be the numeric project id (Project Settings → General)',
    });
    r.url('apiBaseUrl');
    return r.done();
  },
  describe: describeMasked,
  create: (config, http) => new SentryProvider(config, http),
  // A search value (environment:$subject): quoted when it holds a space or a quote.
  escapeValue: (v) => (/[\s"\\]/.test(v) ? `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"` : v),
};

/** Sentry's interval syntax: the step in whole minutes, hours or days. */
function interval(stepSeconds: number): string {
  const minutes = Math.max(1, Math.round(stepSeconds / 60));
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

interface SessionsAnswer {
  intervals?: string[];
  groups?: { by?: Record<string, unknown>; series?: Record<string, (number | null)[]> }[];
}

export class SentryProvider implements IntegrationProvider {
  private readonly base: string;
  private readonly org: string;
  private readonly project: string | undefined;
  private readonly headers: Record<string, string>;

  constructor(
    { plain, secrets }: SplitConfig,
    private readonly http: OutboundHttpClient,
    private readonly options: CallOptions = {},
  ) {
    this.base = String(plain.apiBaseUrl ?? plain.url ?? 'https://sentry.io');
    this.org = encodeURIComponent(String(plain.organization));
    this.project = plain.project as string | undefined;
    this.headers = { authorization: `Bearer ${secrets.authToken}` };
  }

  async fetchSeries({ query, from, to, stepSeconds }: SeriesRequest): Promise<SeriesPoint[]> {
    const [field, ...search] = query.trim().split(/\s+/);
    const params = new URLSearchParams({
      field: field ?? '',
      interval: interval(stepSeconds),
      start: new Date(from).toISOString(),
      end: new Date(to).toISOString(),
    });
    if (search.length > 0) params.set('query', search.join(' '));
    if (this.project) params.set('project', this.project);
    const a = await callJson(
      this.http,
      sentryVoice,
      { url: `${this.base}/api/0/organizations/${this.org}/sessions/?${params}`, headers: this.headers },
      this.options,
    );
    const body = a.json as SessionsAnswer | undefined;
    const groups = body?.groups ?? [];
    if (groups.length > 1)
      throw new ProviderError(
        `Sentry returned ${groups.length} groups; leave groupBy out of the query so it answers one series`,
      );
    const values = groups[0]?.series?.[field ?? ''];
    if (groups.length === 1 && !values)
      throw new ProviderError(`Sentry's answer has no series for the field "${field}"`);
    const points: SeriesPoint[] = [];
    (body?.intervals ?? []).forEach((iso, i) => {
      const value = values?.[i];
      if (typeof value === 'number') points.push({ time: Date.parse(iso), value });
    });
    return onGrid(points, from, to, stepSeconds);
  }

  async test(): Promise<TestOutcome> {
    try {
      const a = await callJson(
        this.http,
        sentryVoice,
        { url: `${this.base}/api/0/organizations/${this.org}/`, headers: this.headers },
        this.options,
      );
      const name = (a.json as { name?: string } | undefined)?.name ?? decodeURIComponent(this.org);
      return { ok: true, message: `Sentry at ${this.base} answered for the organization ${name}` };
    } catch (error) {
      if (error instanceof ProviderError) return { ok: false, message: error.message };
      throw error;
    }
  }
}
