/**
 * Google Analytics 4: Data API `POST /v1beta/properties/{id}:runReport` with a bearer token. The
 * token comes from the service account's JSON key: a JWT (RS256, signed with its private key by
 * node:crypto) with the analytics.readonly scope, exchanged at the token endpoint
 * (`grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer`) and cached until shortly before it
 * expires. A mapping's query is a metric name, optionally followed by `dimension==value` filters
 * (`screenPageViews hostName==$subject`). Rows are keyed by `dateHourMinute` in the property's time
 * zone (the answer's `metadata.timeZone`) and paged with `limit`/`offset` up to `rowCount`.
 * Failures are `{error: {code, message, status}}`; 429 is RESOURCE_EXHAUSTED (quota tokens).
 */
import { createSign } from 'node:crypto';
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
  forgetToken,
  onGrid,
  type ProviderVoice,
  retryAfterSeconds,
  zonedDate,
  zonedToEpoch,
} from './saas.js';

const FIELDS = ['propertyId', 'serviceAccount', 'apiBaseUrl', 'tokenUrl'];
const EXAMPLE =
  '{"propertyId": "123456789", "serviceAccount": {"type": "service_account", "client_email": "…", "private_key": "…"}}';
const SCOPE = 'https://www.googleapis.com/auth/analytics.readonly';
const PAGE = 100_000;

const googleSaid = (json: unknown) => {
  const e = (json as { error?: unknown; error_description?: string } | undefined)?.error;
  if (typeof e === 'string')
    return `${e}${(json as { error_description?: string }).error_description ? `: ${(json as { error_description?: string }).error_description}` : ''}`;
  const o = e as { status?: string; message?: string } | undefined;
  return o ? `${o.status ? `${o.status}: ` : ''}${o.message ?? ''}` : '';
};

export const ga4Voice: ProviderVoice = {
  label: 'Google Analytics',
  said: (a) => googleSaid(a.json),
  resetSeconds: (a) => retryAfterSeconds(a),
  authHint:
    'add the service account’s client_email as a Viewer of the property (Admin → Property access management) and check propertyId',
};

interface ServiceAccount {
  client_email: string;
  private_key: string;
  token_uri?: string;
}

function serviceAccount(raw: unknown): ServiceAccount {
  let v = raw;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      throw badRequest(
        'config.serviceAccount',
        'must be the service account’s JSON key (the file Google downloads)',
      );
    }
  }
  const o = v as Partial<ServiceAccount> | null;
  if (!o || typeof o !== 'object' || typeof o.client_email !== 'string' || typeof o.private_key !== 'string')
    throw badRequest(
      'config.serviceAccount',
      'must be the service account’s JSON key with client_email and private_key (IAM → Service accounts → Keys → Add key → JSON)',
    );
  if (!o.private_key.includes('PRIVATE KEY'))
    throw badRequest('config.serviceAccount.private_key', 'is not a PEM private key');
  return { client_email: o.client_email, private_key: o.private_key, token_uri: o.token_uri };
}

export const ga4: ProviderDefinition = {
  name: 'ga4',
  parseConfig(raw, stored = {}) {
    const r = new ConfigReader(raw, 'Google Analytics 4', FIELDS, EXAMPLE, stored);
    r.text('propertyId', {
      pattern: /^\d{1,20}$/,
      hint: 'must be the numeric property id (Admin → Property details)',
    });
    const sa = r.raw('serviceAccount');
    if (typeof sa === 'string' && sa.startsWith('••••')) {
      r.secret('serviceAccount');
    } else {
      const parsed = serviceAccount(sa);
      r.secrets.serviceAccount = JSON.stringify(parsed);
    }
    r.plain.clientEmail = serviceAccount(r.secrets.serviceAccount).client_email;
    r.url('apiBaseUrl');
    r.url('tokenUrl');
    return r.done();
  },
  describe({ plain, secrets }) {
    return { ...plain, serviceAccount: secrets.serviceAccount ? '••••' : undefined };
  },
  create: (config, http) => new Ga4Provider(config, http),
};

const b64url = (v: string | Buffer) => Buffer.from(v).toString('base64url');

/** The signed assertion of RFC 7523 that Google's token endpoint exchanges for an access token. */
export function serviceAccountJwt(sa: ServiceAccount, audience: string, now = Date.now()): string {
  const iat = Math.floor(now / 1000);
  const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }));
  const claims = b64url(
    JSON.stringify({ iss: sa.client_email, scope: SCOPE, aud: audience, iat, exp: iat + 3600 }),
  );
  const signature = createSign('RSA-SHA256').update(`${head}.${claims}`).sign(sa.private_key);
  return `${head}.${claims}.${b64url(signature)}`;
}

interface ReportAnswer {
  rows?: { dimensionValues?: { value?: string }[]; metricValues?: { value?: string }[] }[];
  rowCount?: number;
  metadata?: { timeZone?: string };
}

export class Ga4Provider implements IntegrationProvider {
  private readonly base: string;
  private readonly tokenUrl: string;
  private readonly property: string;
  private readonly sa: ServiceAccount;

  constructor(
    { plain, secrets }: SplitConfig,
    private readonly http: OutboundHttpClient,
    private readonly options: CallOptions = {},
  ) {
    this.base = String(plain.apiBaseUrl ?? 'https://analyticsdata.googleapis.com');
    this.sa = JSON.parse(secrets.serviceAccount ?? '{}') as ServiceAccount;
    this.tokenUrl = String(plain.tokenUrl ?? this.sa.token_uri ?? 'https://oauth2.googleapis.com/token');
    this.property = String(plain.propertyId);
  }

  private get tokenKey() {
    return credentialKey('ga4', this.tokenUrl, this.sa.client_email, this.sa.private_key);
  }

  private token(): Promise<string> {
    return cachedToken(this.tokenKey, async () => {
      const a = await callJson(
        this.http,
        {
          ...ga4Voice,
          label: 'Google’s token endpoint',
          authHint: 'the service account key was refused; create a new JSON key',
        },
        {
          url: this.tokenUrl,
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({
            grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
            assertion: serviceAccountJwt(this.sa, this.tokenUrl),
          }).toString(),
        },
        this.options,
      );
      const t = a.json as { access_token?: string; expires_in?: number } | undefined;
      if (!t?.access_token)
        throw new ProviderError('Google’s token endpoint answered without an access_token');
      return { token: t.access_token, expiresAt: Date.now() + (t.expires_in ?? 3600) * 1000 };
    });
  }

  /** A call with the cached token; a refused token is dropped and the call made once more with a new one. */
  private async call(path: string, body?: unknown) {
    for (let round = 0; ; round++) {
      const token = await this.token();
      try {
        return await callJson(
          this.http,
          ga4Voice,
          {
            url: `${this.base}/v1beta/properties/${this.property}${path}`,
            method: body === undefined ? 'GET' : 'POST',
            headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
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
    const [metric, ...filters] = query.trim().split(/\s+/);
    const expressions = filters.map((f) => {
      const m = /^([A-Za-z0-9_:]+)==(.+)$/.exec(f);
      if (!m)
        throw new ProviderError(
          `"${f}" is not a filter; write dimension==value, e.g. hostName==shop.example.com`,
        );
      return { filter: { fieldName: m[1], stringFilter: { matchType: 'EXACT', value: m[2] } } };
    });
    // Dates are the property's; a day either side covers any zone, the rows outside are dropped.
    const points: SeriesPoint[] = [];
    const limit = this.options.pageSize ?? PAGE;
    for (let offset = 0; ; ) {
      const a = await this.call(':runReport', {
        dateRanges: [
          { startDate: zonedDate(from - 86_400_000, 'UTC'), endDate: zonedDate(to + 86_400_000, 'UTC') },
        ],
        dimensions: [{ name: 'dateHourMinute' }],
        metrics: [{ name: metric }],
        ...(expressions.length === 0
          ? {}
          : { dimensionFilter: expressions.length === 1 ? expressions[0] : { andGroup: { expressions } } }),
        orderBys: [{ dimension: { dimensionName: 'dateHourMinute' } }],
        keepEmptyRows: false,
        limit,
        offset,
      });
      const report = a.json as ReportAnswer;
      const zone = report.metadata?.timeZone ?? 'UTC';
      for (const row of report.rows ?? []) {
        const key = row.dimensionValues?.[0]?.value ?? '';
        const m = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})$/.exec(key);
        const value = Number(row.metricValues?.[0]?.value);
        if (!m || !Number.isFinite(value)) continue;
        const [y = 0, mo = 0, d = 0, h = 0, mi = 0] = m.slice(1).map(Number);
        points.push({
          time: zonedToEpoch({ year: y, month: mo, day: d, hour: h, minute: mi }, zone),
          value,
        });
      }
      // The API may answer fewer rows than asked; the next page starts after those it gave.
      offset += report.rows?.length ?? 0;
      if (!report.rows?.length || offset >= (report.rowCount ?? 0)) break;
    }
    // Counts per minute: a coarser step is their sum.
    return onGrid(points, from, to, stepSeconds, 'sum');
  }

  async test(): Promise<TestOutcome> {
    try {
      const a = await this.call('/metadata');
      const n = ((a.json as { metrics?: unknown[] } | undefined)?.metrics ?? []).length;
      return {
        ok: true,
        message: `Google Analytics answered for property ${this.property} (${n} metrics available)`,
      };
    } catch (error) {
      if (error instanceof ProviderError) return { ok: false, message: error.message };
      throw error;
    }
  }
}
