/**
 * Datadog: Metrics API v1 timeseries query, `GET /api/v1/query?from&to&query` on the site's API
 * host, with the `DD-API-KEY` and `DD-APPLICATION-KEY` headers. The answer is
 * `{status: "ok", series: [{metric, scope, pointlist: [[ms, value|null], …]}]}`; a failure is
 * `{errors: ["…"]}`; a 429 carries `X-RateLimit-Reset` (seconds until the window resets).
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
  type JsonAnswer,
  oneSeriesOnly,
  onGrid,
  type ProviderVoice,
} from './saas.js';

export const DATADOG_SITES = [
  'datadoghq.com',
  'us3.datadoghq.com',
  'us5.datadoghq.com',
  'datadoghq.eu',
  'ap1.datadoghq.com',
  'ddog-gov.com',
] as const;
const FIELDS = ['site', 'apiKey', 'appKey', 'apiBaseUrl'];
const EXAMPLE = '{"site": "datadoghq.com", "apiKey": "…", "appKey": "…"}';

export const datadogVoice: ProviderVoice = {
  label: 'Datadog',
  said: (a: JsonAnswer) => {
    const errors = (a.json as { errors?: unknown } | undefined)?.errors;
    return Array.isArray(errors) ? errors.map(String).join('; ') : '';
  },
  resetSeconds: (a) => headerSeconds(a, 'x-ratelimit-reset', 'delta'),
  authHint:
    'check apiKey (an API key) and appKey (an application key with the timeseries_query scope) and the site',
};

export const datadog: ProviderDefinition = {
  name: 'datadog',
  parseConfig(raw, stored) {
    const r = new ConfigReader(raw, 'Datadog', FIELDS, EXAMPLE, stored);
    r.oneOf('site', DATADOG_SITES, 'datadoghq.com');
    r.secret('apiKey');
    r.secret('appKey');
    r.url('apiBaseUrl');
    return r.done();
  },
  describe: describeMasked,
  create: (config, http) => new DatadogProvider(config, http),
  // A tag value ({env:$subject}): Datadog itself turns what a tag cannot hold into underscores.
  escapeValue: (v) => v.toLowerCase().replace(/[^\w\-./:]/g, '_'),
};

interface DatadogAnswer {
  status?: string;
  error?: string;
  series?: { metric?: string; scope?: string; expression?: string; pointlist?: [number, number | null][] }[];
}

export class DatadogProvider implements IntegrationProvider {
  private readonly base: string;
  private readonly headers: Record<string, string>;

  constructor(
    { plain, secrets }: SplitConfig,
    private readonly http: OutboundHttpClient,
    private readonly options: CallOptions = {},
  ) {
    this.base = String(plain.apiBaseUrl ?? `https://api.${plain.site}`);
    this.headers = { 'DD-API-KEY': secrets.apiKey ?? '', 'DD-APPLICATION-KEY': secrets.appKey ?? '' };
  }

  async fetchSeries({ query, from, to, stepSeconds }: SeriesRequest): Promise<SeriesPoint[]> {
    const answer = await this.query(query, Math.floor(from / 1000), Math.ceil(to / 1000));
    const series = answer.series ?? [];
    if (series.length > 1)
      throw oneSeriesOnly(
        'The Datadog query',
        series.length,
        series.map((s) => s.scope ?? s.expression ?? '?'),
        'aggregate it to one, e.g. sum:metric{…} without a "by {…}"',
      );
    const points: SeriesPoint[] = [];
    for (const [time, value] of series[0]?.pointlist ?? []) if (value !== null) points.push({ time, value });
    return onGrid(points, from, to, stepSeconds);
  }

  async test(): Promise<TestOutcome> {
    const now = Math.floor(Date.now() / 1000);
    try {
      await this.query('avg:datadog.estimated_usage.hosts{*}', now - 300, now);
      return { ok: true, message: `Datadog at ${this.base} answered a metrics query with both keys` };
    } catch (error) {
      if (error instanceof ProviderError) return { ok: false, message: error.message };
      throw error;
    }
  }

  private async query(query: string, from: number, to: number): Promise<DatadogAnswer> {
    const params = new URLSearchParams({ from: String(from), to: String(to), query });
    const a = await callJson(
      this.http,
      datadogVoice,
      { url: `${this.base}/api/v1/query?${params}`, headers: this.headers },
      this.options,
    );
    const body = a.json as DatadogAnswer | undefined;
    if (!body || body.status === 'error' || body.error)
      throw new ProviderError(`Datadog refused the query: ${body?.error ?? a.text.slice(0, 300)}`);
    return body;
  }
}
