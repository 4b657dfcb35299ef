/**
 * Adobe Analytics 2.0: `POST /api/{companyId}/reports` on analytics.adobe.io with an OAuth
 * server-to-server token (client credentials at Adobe IMS, `/ims/token/v3`, cached until shortly
 * before `expires_in`), and the `x-api-key` (the client id), `x-proxy-global-company-id` and
 * `x-gw-ims-org-id` headers. A mapping's query is a metric id (`metrics/pageviews`), optionally
 * followed by a segment id; rows come by `variables/daterangeminute`, whose item ids are
 * `1YYMMDDHHmm` (years since 1900, month from 0) in the report suite's time zone, paged with
 * `settings.page` up to `totalPages`. Failures are `{errorCode, errorDescription}` (or the
 * gateway's `{error_code, message}`); a 429 carries `Retry-After`.
 */
import { badRequest } from '../http/envelope.js';
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
  CredentialsRefused,
  cachedToken,
  callJson,
  credentialKey,
  describeMasked,
  forgetToken,
  isTimeZone,
  onGrid,
  type ProviderVoice,
  retryAfterSeconds,
  zonedToEpoch,
} from './saas.js';

const FIELDS = [
  'clientId',
  'clientSecret',
  'orgId',
  'companyId',
  'reportSuiteId',
  'timeZone',
  'apiBaseUrl',
  'tokenUrl',
];
const EXAMPLE =
  '{"clientId": "…", "clientSecret": "…", "orgId": "…@AdobeOrg", "companyId": "acmeco0", "reportSuiteId": "acmeprod"}';
const SCOPE = 'openid,AdobeID,additional_info.projectedProductContext';
const PAGE = 50_000;

export const adobeVoice: ProviderVoice = {
  label: 'Adobe Analytics',
  said: (a) => {
    const j = a.json as Record<string, string | undefined> | undefined;
    if (!j || typeof j !== 'object') return '';
    if (j.errorCode || j.errorDescription) return `${j.errorCode ?? ''}: ${j.errorDescription ?? ''}`;
    if (j.error_code || j.message) return `${j.error_code ?? ''}: ${j.message ?? ''}`;
    if (j.error) return `${j.error}${j.error_description ? `: ${j.error_description}` : ''}`;
    return '';
  },
  resetSeconds: (a) => retryAfterSeconds(a),
  authHint:
    'check clientId and clientSecret (an OAuth Server-to-Server credential with the Adobe Analytics API), orgId, and that its product profile has the report suite',
};

export const adobe: ProviderDefinition = {
  name: 'adobe',
  parseConfig(raw, stored) {
    const r = new ConfigReader(raw, 'Adobe Analytics', FIELDS, EXAMPLE, stored);
    r.text('clientId');
    r.secret('clientSecret');
    r.text('orgId', { pattern: /@AdobeOrg$/, hint: 'must be the organization id ending in @AdobeOrg' });
    r.text('companyId', {
      pattern: /^[A-Za-z0-9_-]+$/,
      hint: 'must be the global company id (GET /discovery/me)',
    });
    r.text('reportSuiteId');
    const tz = r.text('timeZone', { optional: true });
    if (tz && !isTimeZone(tz))
      throw badRequest(
        'config.timeZone',
        `"${tz.slice(0, 100)}" is not an IANA time zone such as America/Denver`,
      );
    r.url('apiBaseUrl');
    r.url('tokenUrl');
    return r.done();
  },
  describe: describeMasked,
  create: (config, http) => new AdobeProvider(config, http),
};

/** A local wall-clock instant as Adobe's date ranges write it. */
function local(at: number, timeZone: string): string {
  const f = new Intl.DateTimeFormat('en-CA', {
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
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}.000`;
}

interface ReportAnswer {
  totalPages?: number;
  lastPage?: boolean;
  rows?: { itemId?: string; value?: string; data?: (number | null)[] }[];
}

export class AdobeProvider implements IntegrationProvider {
  private readonly base: string;
  private readonly tokenUrl: string;
  private readonly plain: Record<string, unknown>;
  private readonly secret: string;
  private readonly zone: string;

  constructor(
    { plain, secrets }: SplitConfig,
    private readonly http: OutboundHttpClient,
    private readonly options: CallOptions = {},
  ) {
    this.plain = plain;
    this.base = String(plain.apiBaseUrl ?? 'https://analytics.adobe.io');
    this.tokenUrl = String(plain.tokenUrl ?? 'https://ims-na1.adobelogin.com/ims/token/v3');
    this.secret = secrets.clientSecret ?? '';
    this.zone = String(plain.timeZone ?? 'UTC');
  }

  private get tokenKey() {
    return credentialKey('adobe', this.tokenUrl, String(this.plain.clientId), this.secret);
  }

  private token(): Promise<string> {
    return cachedToken(this.tokenKey, async () => {
      const a = await callJson(
        this.http,
        { ...adobeVoice, label: 'Adobe IMS', authHint: 'check clientId and clientSecret' },
        {
          url: this.tokenUrl,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'client_credentials',
            client_id: String(this.plain.clientId),
            client_secret: this.secret,
            scope: SCOPE,
          }).toString(),
        },
        this.options,
      );
      const t = a.json as { access_token?: string; expires_in?: number } | undefined;
      if (!t?.access_token) throw new ProviderError('Adobe IMS answered without an access_token');
      return { token: t.access_token, expiresAt: Date.now() + (t.expires_in ?? 86_399) * 1000 };
    });
  }

  /** A call with the cached token; a refused token is dropped and the call made once more with a new one. */
  private async call(path: string, body?: unknown) {
    for (let round = 0; ; round++) {
      const token = await this.token();
      try {
        return await callJson(
          this.http,
          adobeVoice,
          {
            url: `${this.base}/api/${this.plain.companyId}${path}`,
            method: body === undefined ? 'GET' : 'POST',
            headers: {
              authorization: `Bearer ${token}`,
              'x-api-key': String(this.plain.clientId),
              'x-proxy-global-company-id': String(this.plain.companyId),
              'x-gw-ims-org-id': String(this.plain.orgId),
              'content-type': 'application/json',
            },
            body: body === undefined ? undefined : JSON.stringify(body),
          },
          this.options,
        );
      } catch (error) {
        if (round > 0 || !(error instanceof CredentialsRefused) || error.status !== 401) throw error;
        forgetToken(this.tokenKey);
      }
    }
  }

  async fetchSeries({ query, from, to, stepSeconds }: SeriesRequest): Promise<SeriesPoint[]> {
    const [metric, segment] = query.trim().split(/\s+/);
    const globalFilters: Record<string, string>[] = [
      { type: 'dateRange', dateRange: `${local(from, this.zone)}/${local(to - 1, this.zone)}` },
    ];
    if (segment) globalFilters.push({ type: 'segment', segmentId: segment });
    const points: SeriesPoint[] = [];
    for (let page = 0; ; page++) {
      const a = await this.call('/reports', {
        rsid: this.plain.reportSuiteId,
        globalFilters,
        metricContainer: { metrics: [{ columnId: '0', id: metric }] },
        dimension: 'variables/daterangeminute',
        settings: {
          limit: this.options.pageSize ?? PAGE,
          page,
          dimensionSort: 'asc',
          countRepeatInstances: true,
        },
      });
      const report = a.json as ReportAnswer;
      for (const row of report.rows ?? []) {
        const m = /^(\d{3})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(row.itemId ?? '');
        const value = row.data?.[0];
        if (!m || typeof value !== 'number') continue;
        const [yy = 0, mo = 0, d = 0, h = 0, mi = 0] = m.slice(1).map(Number);
        points.push({
          time: zonedToEpoch({ year: 1900 + yy, month: mo + 1, day: d, hour: h, minute: mi }, this.zone),
          value,
        });
      }
      if (report.lastPage === true || page + 1 >= (report.totalPages ?? 1)) break;
    }
    // Counts per minute: a coarser step is their sum.
    return onGrid(points, from, to, stepSeconds, 'sum');
  }

  async test(): Promise<TestOutcome> {
    try {
      const a = await this.call(
        `/reportsuites/collections/suites/${encodeURIComponent(String(this.plain.reportSuiteId))}`,
      );
      const name = (a.json as { name?: string } | undefined)?.name ?? String(this.plain.reportSuiteId);
      return { ok: true, message: `Adobe Analytics answered for the report suite ${name}` };
    } catch (error) {
      if (error instanceof ProviderError) return { ok: false, message: error.message };
      throw error;
    }
  }
}
