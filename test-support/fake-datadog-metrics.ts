/**
 * Datadog's Metrics API v1 timeseries query (Datadog API reference: Metrics, "Query timeseries points"):
 * GET /api/v1/query?from=<s>&to=<s>&query=… with `DD-API-KEY` and `DD-APPLICATION-KEY`; 200
 * `{status: "ok", res_type: "time_series", series: [{metric, scope, pointlist: [[ms, v]], …}]}`
 * (empty `series` without data, one series per group for `by {…}`); 403 `{errors: ["Forbidden"]}`
 * for a wrong key; 400 `{errors: […]}` for a bad query; 429 with X-RateLimit-Reset.
 */
import { type FakeAnswer, startFake } from './fake-service.js';

export interface Point {
  time: number;
  value: number;
}

export async function startFakeDatadogMetrics(apiKey: string, appKey: string, points: Point[]) {
  const fake = await startFake((req): FakeAnswer => {
    if (req.method !== 'GET' || req.path !== '/api/v1/query')
      return { status: 404, body: { errors: ['Not Found'] } };
    if (req.headers['dd-api-key'] !== apiKey || req.headers['dd-application-key'] !== appKey)
      return { status: 403, body: { errors: ['Forbidden'] } };
    const from = Number(req.query.get('from'));
    const to = Number(req.query.get('to'));
    const query = req.query.get('query') ?? '';
    const errors: string[] = [];
    if (!/^\d+$/.test(req.query.get('from') ?? ''))
      errors.push("Invalid 'from' parameter: must be POSIX seconds");
    if (!/^\d+$/.test(req.query.get('to') ?? ''))
      errors.push("Invalid 'to' parameter: must be POSIX seconds");
    if (!/^\w+:[\w.]+\{.*\}/.test(query)) errors.push(`Error parsing query: \n unable to parse ${query}`);
    if (errors.length > 0) return { status: 400, body: { errors } };
    const pointlist = points
      .filter((p) => p.time >= from * 1000 && p.time <= to * 1000)
      .map((p) => [p.time, p.value]);
    const one = (scope: string) => ({
      metric: query.split(':')[1]?.split('{')[0],
      display_name: query,
      scope,
      expression: query,
      pointlist,
      start: pointlist[0]?.[0] ?? null,
      end: pointlist.at(-1)?.[0] ?? null,
      interval: 60,
      length: pointlist.length,
      aggr: query.split(':')[0],
      unit: null,
      tag_set: [],
    });
    const series =
      pointlist.length === 0 ? [] : / by \{/.test(query) ? [one('env:a'), one('env:b')] : [one('*')];
    return {
      status: 200,
      body: {
        status: 'ok',
        res_type: 'time_series',
        from_date: from * 1000,
        to_date: to * 1000,
        query,
        series,
      },
    };
  });
  return {
    ...fake,
    rateLimited: (resetSeconds: number) => ({
      status: 429,
      headers: {
        'x-ratelimit-limit': '1600',
        'x-ratelimit-period': '3600',
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(resetSeconds),
      },
      body: { errors: ['Too many requests'] },
    }),
  };
}
