/**
 * Sentry's sessions endpoint (https://docs.sentry.io/api/releases/retrieve-release-health-session-statistics/):
 * GET /api/0/organizations/{org}/sessions/?field&interval&start&end[&project][&query] with
 * `Authorization: Bearer <token>`; 200 `{start, end, intervals: [iso…], groups: [{by: {}, totals,
 * series: {<field>: [v|null…]}}], query}`; 401 `{detail: "Invalid token"}`; 400 `{detail: …}` for
 * an unknown field or a bad interval; 429 with Retry-After and X-Sentry-Rate-Limit-Reset.
 * GET /api/0/organizations/{org}/ answers the organization.
 */
import { type FakeAnswer, startFake } from './fake-service.js';

export interface Point {
  time: number;
  value: number;
}

const FIELDS = [
  'sum(session)',
  'count_unique(user)',
  'crash_free_rate(session)',
  'crash_free_rate(user)',
  'crash_rate(session)',
];

export async function startFakeSentrySessions(token: string, org: string, points: Point[]) {
  const fake = await startFake((req): FakeAnswer => {
    if (req.headers.authorization !== `Bearer ${token}`)
      return { status: 401, body: { detail: 'Invalid token' } };
    if (req.method === 'GET' && req.path === `/api/0/organizations/${org}/`)
      return { status: 200, body: { id: '1', slug: org, name: `${org} Inc` } };
    if (req.method !== 'GET' || req.path !== `/api/0/organizations/${org}/sessions/`)
      return { status: 404, body: { detail: 'The requested resource does not exist' } };
    const field = req.query.get('field') ?? '';
    if (!FIELDS.includes(field)) return { status: 400, body: { detail: `Invalid field: "${field}"` } };
    const m = /^(\d+)([mhd])$/.exec(req.query.get('interval') ?? '');
    if (!m) return { status: 400, body: { detail: 'Unable to parse interval' } };
    const step = Number(m[1]) * { m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'm' | 'h' | 'd'];
    const start = Date.parse(req.query.get('start') ?? '');
    const end = Date.parse(req.query.get('end') ?? '');
    if (Number.isNaN(start) || Number.isNaN(end))
      return { status: 400, body: { detail: 'start and end are required' } };
    const intervals: string[] = [];
    const values: (number | null)[] = [];
    for (let t = Math.floor(start / step) * step; t < end; t += step) {
      intervals.push(new Date(t).toISOString().replace('.000Z', 'Z'));
      const inside = points.filter((p) => p.time >= t && p.time < t + step);
      values.push(inside.length === 0 ? null : inside.reduce((s, p) => s + p.value, 0) / inside.length);
    }
    return {
      status: 200,
      body: {
        start: new Date(start).toISOString(),
        end: new Date(end).toISOString(),
        intervals,
        groups: [
          {
            by: {},
            totals: { [field]: values.find((v) => v !== null) ?? null },
            series: { [field]: values },
          },
        ],
        query: req.query.get('query') ?? '',
      },
    };
  });
  return {
    ...fake,
    rateLimited: (resetSeconds: number) => ({
      status: 429,
      headers: {
        'retry-after': String(resetSeconds),
        'x-sentry-rate-limit-limit': '40',
        'x-sentry-rate-limit-remaining': '0',
        'x-sentry-rate-limit-reset': String(Math.ceil(Date.now() / 1000) + resetSeconds),
      },
      body: {
        detail: 'You are attempting to use this endpoint too frequently. Limit is 40 requests in 1 seconds',
      },
    }),
  };
}
