/**
 * Adobe IMS and the Analytics 2.0 reports API on one loopback server.
 * - POST /ims/token/v3 (Adobe Developer Console docs: Server-to-Server authentication, implementation):
 *   `grant_type=client_credentials&client_id&client_secret&scope` -> `{access_token, token_type:
 *   "bearer", expires_in}`; 400 `{error: "invalid_client", error_description}` for a wrong secret.
 * - POST /api/{companyId}/reports (Analytics 2.0 API guides: the reports endpoint)
 *   with `Authorization: Bearer`, `x-api-key`, `x-proxy-global-company-id`, `x-gw-ims-org-id`:
 *   rows of `variables/daterangeminute` (item ids `1YYMMDDHHmm`, years since 1900, month from 0,
 *   in the suite's zone), paged by `settings.limit`/`settings.page`; 401 `{error_code: "401013",
 *   message: "Oauth token is not valid"}`; 400 `{errorCode, errorDescription}`; 429 with Retry-After.
 * - GET /api/{companyId}/reportsuites/collections/suites/{rsid}: the suite.
 */
import { type FakeAnswer, field, startFake } from './fake-service.js';

export interface Point {
  time: number;
  value: number;
}

function parts(at: number, timeZone: string) {
  return Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    })
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  ) as Record<string, string>;
}

const itemId = (p: Record<string, string>) =>
  `${Number(p.year) - 1900}${String(Number(p.month) - 1).padStart(2, '0')}${p.day}${p.hour}${p.minute}`;
const localIso = (p: Record<string, string>) =>
  `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;

export async function startFakeAdobe(opts: {
  clientId: string;
  clientSecret: string;
  orgId: string;
  companyId: string;
  rsid: string;
  timeZone: string;
  points: Point[];
}) {
  let issued = 0;
  const valid = new Set<string>();
  const fake = await startFake((req): FakeAnswer => {
    if (req.method === 'POST' && req.path === '/ims/token/v3') {
      const form = new URLSearchParams(req.raw);
      if (form.get('grant_type') !== 'client_credentials')
        return {
          status: 400,
          body: {
            error: 'unsupported_grant_type',
            error_description: 'grant_type must be client_credentials',
          },
        };
      if (form.get('client_id') !== opts.clientId || form.get('client_secret') !== opts.clientSecret)
        return {
          status: 400,
          body: { error: 'invalid_client', error_description: 'invalid client_secret parameter' },
        };
      if (!form.get('scope')?.includes('additional_info.projectedProductContext'))
        return { status: 400, body: { error: 'invalid_scope', error_description: 'invalid scope' } };
      issued += 1;
      const token = `eyJ.fake-${issued}`;
      valid.add(token);
      return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: 86_399 } };
    }
    const auth = String(req.headers.authorization ?? '');
    if (!auth.startsWith('Bearer ') || !valid.has(auth.slice(7)))
      return { status: 401, body: { error_code: '401013', message: 'Oauth token is not valid' } };
    if (req.headers['x-api-key'] !== opts.clientId)
      return { status: 403, body: { error_code: '403000', message: 'Api Key is invalid' } };
    if (
      req.headers['x-gw-ims-org-id'] !== opts.orgId ||
      req.headers['x-proxy-global-company-id'] !== opts.companyId
    )
      return {
        status: 403,
        body: {
          errorCode: 'invalid_company',
          errorDescription: 'The company or organization headers do not match this client',
        },
      };
    if (
      req.method === 'GET' &&
      req.path === `/api/${opts.companyId}/reportsuites/collections/suites/${opts.rsid}`
    )
      return { status: 200, body: { rsid: opts.rsid, name: 'Production', currency: 'USD' } };
    if (req.method !== 'POST' || req.path !== `/api/${opts.companyId}/reports`)
      return { status: 404, body: { errorCode: 'not_found', errorDescription: 'Resource not found' } };
    if (field(req.json, 'rsid') !== opts.rsid)
      return {
        status: 400,
        body: {
          errorCode: 'invalid_rsid',
          errorDescription: `Report suite "${field(req.json, 'rsid')}" does not exist`,
        },
      };
    if (field(req.json, 'dimension') !== 'variables/daterangeminute')
      return {
        status: 400,
        body: {
          errorCode: 'invalid_dimension',
          errorDescription: 'this fake answers variables/daterangeminute',
        },
      };
    const metric = String(field(req.json, 'metricContainer', 'metrics', '0', 'id') ?? '');
    if (!/^metrics\/\w+$/.test(metric))
      return {
        status: 400,
        body: { errorCode: 'invalid_metric', errorDescription: `Metric "${metric}" is not valid` },
      };
    const range = String(
      (field(req.json, 'globalFilters') as { type?: string; dateRange?: string }[] | undefined)?.find(
        (f) => f.type === 'dateRange',
      )?.dateRange ?? '',
    );
    const [from = '', to = ''] = range.split('/');
    if (
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/.test(from) ||
      !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/.test(to)
    )
      return {
        status: 400,
        body: { errorCode: 'invalid_dateRange', errorDescription: `Invalid date range "${range}"` },
      };
    const limit = Number(field(req.json, 'settings', 'limit') ?? 50);
    if (limit > 50_000)
      return {
        status: 400,
        body: { errorCode: 'invalid_limit', errorDescription: 'limit cannot exceed 50000' },
      };
    const page = Number(field(req.json, 'settings', 'page') ?? 0);
    const rows = opts.points
      .map((p) => ({ p: parts(p.time, opts.timeZone), value: p.value }))
      .filter((r) => localIso(r.p) >= from.slice(0, 19) && localIso(r.p) <= to.slice(0, 19))
      .map((r) => ({
        itemId: itemId(r.p),
        value: `${r.p.hour}:${r.p.minute} ${r.p.year}-${r.p.month}-${r.p.day}`,
        data: [r.value],
      }))
      .sort((a, b) => a.itemId.localeCompare(b.itemId));
    const slice = rows.slice(page * limit, (page + 1) * limit);
    const totalPages = Math.ceil(rows.length / limit);
    return {
      status: 200,
      body: {
        totalPages,
        firstPage: page === 0,
        lastPage: page + 1 >= totalPages,
        numberOfElements: slice.length,
        number: page,
        totalElements: rows.length,
        columns: { dimension: { id: 'variables/daterangeminute', type: 'time' }, columnIds: ['0'] },
        rows: slice,
        summaryData: { totals: [slice.reduce((s, r) => s + (r.data[0] ?? 0), 0)] },
      },
    };
  });
  return {
    ...fake,
    tokensIssued: () => issued,
    revokeTokens: () => valid.clear(),
    rateLimited: (resetSeconds: number) => ({
      status: 429,
      headers: { 'retry-after': String(resetSeconds) },
      body: { error_code: '429050', message: 'Too many requests' },
    }),
  };
}
