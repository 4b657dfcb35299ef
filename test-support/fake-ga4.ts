/**
 * Google's token endpoint and the GA4 Data API on one loopback server.
 * - POST /token: `grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer&assertion=<JWT>`; the JWT is
 *   checked as Google does (RS256 signature by the service account's key, `iss`, `aud` = this
 *   endpoint, the analytics.readonly scope, unexpired) -> `{access_token, expires_in, token_type}`,
 *   else 400 `{error: "invalid_grant", error_description}`.
 * - POST /v1beta/properties/{id}:runReport (GA4 Data API reference: properties.runReport)
 *   with the bearer token: rows of `dateHourMinute` in the property's time zone, paged by
 *   `limit`/`offset` with `rowCount`; 401 UNAUTHENTICATED, 403 PERMISSION_DENIED, 400
 *   INVALID_ARGUMENT for an unknown metric, 429 RESOURCE_EXHAUSTED.
 * - GET /v1beta/properties/{id}/metadata: the property's metrics and dimensions.
 */
import { createVerify, type KeyObject } from 'node:crypto';
import { type FakeAnswer, field, startFake } from './fake-service.js';

export interface Point {
  time: number;
  value: number;
}

const METRICS = ['screenPageViews', 'sessions', 'conversions', 'activeUsers', 'eventCount'];
const googleError = (code: number, status: string, message: string): FakeAnswer => ({
  status: code,
  body: { error: { code, message, status } },
});

/** The wall-clock minute of an instant in a zone, as dateHourMinute writes it. */
function dateHourMinute(at: number, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(at))
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}${p.month}${p.day}${p.hour}${p.minute}`;
}

export async function startFakeGa4(opts: {
  clientEmail: string;
  publicKey: KeyObject;
  propertyId: string;
  timeZone: string;
  points: Point[];
}) {
  let issued = 0;
  const valid = new Set<string>();
  let base = '';
  const fake = await startFake((req): FakeAnswer => {
    if (req.method === 'POST' && req.path === '/token') {
      const form = new URLSearchParams(req.raw);
      if (form.get('grant_type') !== 'urn:ietf:params:oauth:grant-type:jwt-bearer')
        return {
          status: 400,
          body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type' },
        };
      const [head = '', claims = '', sig = ''] = (form.get('assertion') ?? '').split('.');
      const verified = createVerify('RSA-SHA256')
        .update(`${head}.${claims}`)
        .verify(opts.publicKey, Buffer.from(sig, 'base64url'));
      const c = JSON.parse(Buffer.from(claims, 'base64url').toString() || '{}') as Record<string, unknown>;
      const now = Date.now() / 1000;
      if (!verified || c.iss !== opts.clientEmail)
        return { status: 400, body: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } };
      if (
        c.aud !== `${base}/token` ||
        typeof c.exp !== 'number' ||
        c.exp < now ||
        (c.exp as number) - (c.iat as number) > 3600
      )
        return {
          status: 400,
          body: {
            error: 'invalid_grant',
            error_description:
              'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.',
          },
        };
      if (c.scope !== 'https://www.googleapis.com/auth/analytics.readonly')
        return { status: 400, body: { error: 'invalid_scope', error_description: 'Invalid OAuth scope.' } };
      issued += 1;
      const token = `ya29.fake-${issued}`;
      valid.add(token);
      return { status: 200, body: { access_token: token, expires_in: 3599, token_type: 'Bearer' } };
    }
    const auth = String(req.headers.authorization ?? '');
    if (!auth.startsWith('Bearer ') || !valid.has(auth.slice(7)))
      return googleError(
        401,
        'UNAUTHENTICATED',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
    const m = /^\/v1beta\/properties\/(\d+)(:runReport|\/metadata)$/.exec(req.path);
    if (!m) return googleError(404, 'NOT_FOUND', 'Requested entity was not found.');
    if (m[1] !== opts.propertyId)
      return googleError(
        403,
        'PERMISSION_DENIED',
        'User does not have sufficient permissions for this property. To learn more about Property ID, see the Data API docs.',
      );
    if (m[2] === '/metadata')
      return {
        status: 200,
        body: {
          name: `properties/${m[1]}/metadata`,
          dimensions: [{ apiName: 'dateHourMinute' }],
          metrics: METRICS.map((apiName) => ({ apiName })),
        },
      };
    const metric = String(field(req.json, 'metrics', '0', 'name') ?? '');
    if (!METRICS.includes(metric))
      return googleError(
        400,
        'INVALID_ARGUMENT',
        `Field ${metric} is not a valid metric. For a list of valid dimensions and metrics, see the Data API schema.`,
      );
    if (field(req.json, 'dimensions', '0', 'name') !== 'dateHourMinute')
      return googleError(400, 'INVALID_ARGUMENT', 'dimensions[0] must be dateHourMinute in this fake');
    const start = String(field(req.json, 'dateRanges', '0', 'startDate') ?? '');
    const end = String(field(req.json, 'dateRanges', '0', 'endDate') ?? '');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(start) || !/^\d{4}-\d{2}-\d{2}$/.test(end))
      return googleError(400, 'INVALID_ARGUMENT', 'dateRanges[0]: startDate and endDate must be YYYY-MM-DD');
    const filter = field(req.json, 'dimensionFilter', 'filter') as
      | { fieldName?: string; stringFilter?: { value?: string } }
      | undefined;
    const rows = opts.points
      .map((p) => ({ key: dateHourMinute(p.time, opts.timeZone), value: p.value }))
      .filter(
        (r) => r.key.slice(0, 8) >= start.replace(/-/g, '') && r.key.slice(0, 8) <= end.replace(/-/g, ''),
      )
      .filter(
        () =>
          !filter || (filter.fieldName === 'hostName' && filter.stringFilter?.value === 'shop.example.com'),
      )
      .sort((a, b) => a.key.localeCompare(b.key));
    const offset = Number(field(req.json, 'offset') ?? 0);
    const limit = Number(field(req.json, 'limit') ?? 10_000);
    const page = rows.slice(offset, offset + limit);
    return {
      status: 200,
      body: {
        dimensionHeaders: [{ name: 'dateHourMinute' }],
        metricHeaders: [{ name: metric, type: 'TYPE_INTEGER' }],
        ...(page.length > 0
          ? {
              rows: page.map((r) => ({
                dimensionValues: [{ value: r.key }],
                metricValues: [{ value: String(r.value) }],
              })),
            }
          : {}),
        ...(rows.length > 0 ? { rowCount: rows.length } : {}),
        metadata: { currencyCode: 'USD', timeZone: opts.timeZone },
        kind: 'analyticsData#runReport',
      },
    };
  });
  base = fake.base;
  return {
    ...fake,
    tokensIssued: () => issued,
    /** Every issued token stops working (as when Google revokes or they expire early). */
    revokeTokens: () => valid.clear(),
    rateLimited: googleError(
      429,
      'RESOURCE_EXHAUSTED',
      'Exhausted property tokens per hour for a property. This request was not processed.',
    ),
  };
}
