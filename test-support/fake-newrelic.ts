/**
 * New Relic's NerdGraph (https://docs.newrelic.com/docs/apis/nerdgraph/examples/nerdgraph-nrql-tutorial/):
 * POST /graphql with `API-Key`, `{query, variables}`; `actor { account(id) { nrql(query) { results } } }`
 * answers `{data: {actor: {account: {nrql: {results: [{beginTimeSeconds, endTimeSeconds, <fn>: v}]}}}}}`
 * for a TIMESERIES query (one bucket per step of SINCE..UNTIL, null where nothing was seen);
 * `actor { user { name email } }` answers the key's user. A bad key is 401 with
 * `{errors: [{message}]}`; a bad query or an account the key cannot read is 200 with `errors`
 * beside null data (as NerdGraph does); 429 with Retry-After.
 */
import { type FakeAnswer, field, startFake } from './fake-service.js';

export interface Point {
  time: number;
  value: number;
}

const UNITS: Record<string, number> = {
  second: 1,
  seconds: 1,
  minute: 60,
  minutes: 60,
  hour: 3600,
  hours: 3600,
};

export async function startFakeNewRelic(
  apiKey: string,
  accountId: number,
  points: Point[],
  fn = 'average.duration',
) {
  const fake = await startFake((req): FakeAnswer => {
    if (req.method !== 'POST' || req.path !== '/graphql')
      return { status: 404, body: { errors: [{ message: 'Not Found' }] } };
    if (req.headers['api-key'] !== apiKey)
      return {
        status: 401,
        body: { errors: [{ message: 'Invalid API key', extensions: { errorClass: 'UNAUTHORIZED' } }] },
      };
    const query = String(field(req.json, 'query') ?? '');
    if (/actor\s*\{\s*user\s*\{/.test(query))
      return {
        status: 200,
        body: { data: { actor: { user: { name: 'Ada Lovelace', email: 'ada@example.com' } } } },
      };
    if (!/account\(id: \$accountId\)/.test(query) || !/nrql\(query: \$nrql/.test(query))
      return { status: 200, body: { errors: [{ message: 'Cannot query field on type Actor' }], data: null } };
    if (field(req.json, 'variables', 'accountId') !== accountId)
      return {
        status: 200,
        body: {
          errors: [
            {
              message: `Account ${field(req.json, 'variables', 'accountId')} is not accessible with this API key`,
              path: ['actor', 'account'],
            },
          ],
          data: { actor: { account: null } },
        },
      };
    const nrql = String(field(req.json, 'variables', 'nrql') ?? '');
    const since = /SINCE (\d+)/.exec(nrql);
    const until = /UNTIL (\d+)/.exec(nrql);
    const ts = /TIMESERIES (\d+) (\w+)/i.exec(nrql);
    if (!/^SELECT /i.test(nrql) || !since || !until || !ts || !UNITS[ts[2]?.toLowerCase() ?? ''])
      return {
        status: 200,
        body: {
          errors: [
            { message: `NRQL Syntax Error: Error at line 1 position 1, unexpected '${nrql.slice(0, 20)}'` },
          ],
          data: { actor: { account: { nrql: null } } },
        },
      };
    const step = Number(ts[1]) * (UNITS[ts[2]?.toLowerCase() ?? ''] ?? 60) * 1000;
    const results: Record<string, unknown>[] = [];
    for (let t = Number(since[1]); t < Number(until[1]); t += step) {
      const inside = points.filter((p) => p.time >= t && p.time < t + step);
      results.push({
        beginTimeSeconds: t / 1000,
        endTimeSeconds: (t + step) / 1000,
        [fn]: inside.length === 0 ? null : inside.reduce((s, p) => s + p.value, 0) / inside.length,
      });
    }
    if (/FACET/i.test(nrql)) for (const r of results) r.facet = 'checkout';
    return { status: 200, body: { data: { actor: { account: { nrql: { results } } } } } };
  });
  return {
    ...fake,
    rateLimited: (resetSeconds: number) => ({
      status: 429,
      headers: { 'retry-after': String(resetSeconds) },
      body: { errors: [{ message: 'Too many requests: the concurrent request limit was reached' }] },
    }),
  };
}
