/**
 * New Relic: NerdGraph `POST /graphql` (api.newrelic.com, or api.eu.newrelic.com) with the
 * `API-Key` header (a User key), asking `actor { account(id) { nrql(query) { results } } }`. The
 * mapping's NRQL gets `SINCE <ms> UNTIL <ms>` and, without one, `TIMESERIES <step> seconds`; each
 * result is `{beginTimeSeconds, endTimeSeconds, <function>: value}`. NerdGraph answers failures as
 * `{errors: [{message}]}` (often with status 200); a 429 may carry `Retry-After`.
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
  type JsonAnswer,
  onGrid,
  type ProviderVoice,
  retryAfterSeconds,
} from './saas.js';

const FIELDS = ['apiKey', 'accountId', 'region', 'apiBaseUrl'];
const EXAMPLE = '{"apiKey": "NRAK-…", "accountId": "1234567"}';
const NRQL_QUERY =
  'query($accountId: Int!, $nrql: Nrql!) { actor { account(id: $accountId) { nrql(query: $nrql, timeout: 30) { results } } } }';

const graphqlErrors = (json: unknown) => {
  const errors = (json as { errors?: { message?: string }[] } | undefined)?.errors;
  return Array.isArray(errors) ? errors.map((e) => e.message ?? JSON.stringify(e)).join('; ') : '';
};

export const newRelicVoice: ProviderVoice = {
  label: 'New Relic',
  said: (a: JsonAnswer) => graphqlErrors(a.json),
  resetSeconds: (a) => retryAfterSeconds(a),
  authHint: 'check apiKey (a User key, NRAK-…, of a user who can query the account) and region',
};

export const newrelic: ProviderDefinition = {
  name: 'newrelic',
  parseConfig(raw, stored) {
    const r = new ConfigReader(raw, 'New Relic', FIELDS, EXAMPLE, stored);
    r.secret('apiKey');
    const id = r.raw('accountId');
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) r.plain.accountId = String(id);
    else
      r.text('accountId', {
        pattern: /^\d{1,12}$/,
        hint: 'must be the numeric account id (one.newrelic.com → Administration → Access management → Accounts)',
      });
    r.oneOf('region', ['US', 'EU'], 'US');
    r.url('apiBaseUrl');
    return r.done();
  },
  describe: describeMasked,
  create: (config, http) => new NewRelicProvider(config, http),
  // Inside a single-quoted NRQL string ('$source').
  escapeValue: (v) => v.replace(/[\\']/g, (c) => `\\${c}`),
};

/** A NRQL query limited to [from, to) at the step: a query's own SINCE/UNTIL would contradict the range. */
export function rangedNrql(nrql: string, from: number, to: number, stepSeconds: number): string {
  if (/\b(SINCE|UNTIL)\b/i.test(nrql))
    throw new ProviderError(
      'the NRQL carries SINCE or UNTIL; leave them out, OpsTrails adds the range it reads',
    );
  const timeseries = /\bTIMESERIES\b/i.test(nrql) ? '' : ` TIMESERIES ${stepSeconds} seconds`;
  return `${nrql.trim()}${timeseries} SINCE ${from} UNTIL ${to}`;
}

type NrqlResult = Record<string, unknown>;

export class NewRelicProvider implements IntegrationProvider {
  private readonly base: string;
  private readonly accountId: number;
  private readonly apiKey: string;

  constructor(
    { plain, secrets }: SplitConfig,
    private readonly http: OutboundHttpClient,
    private readonly options: CallOptions = {},
  ) {
    this.base = String(
      plain.apiBaseUrl ??
        (plain.region === 'EU' ? 'https://api.eu.newrelic.com' : 'https://api.newrelic.com'),
    );
    this.accountId = Number(plain.accountId);
    this.apiKey = secrets.apiKey ?? '';
  }

  async fetchSeries({ query, from, to, stepSeconds }: SeriesRequest): Promise<SeriesPoint[]> {
    const data = await this.graphql(NRQL_QUERY, {
      accountId: this.accountId,
      nrql: rangedNrql(query, from, to, stepSeconds),
    });
    const results = (data as { actor?: { account?: { nrql?: { results?: NrqlResult[] } | null } | null } })
      ?.actor?.account?.nrql?.results;
    if (!Array.isArray(results))
      throw new ProviderError(`New Relic answered no results for account ${this.accountId}; check accountId`);
    if (results.some((r) => 'facet' in r))
      throw new ProviderError('the NRQL has FACET and answers several series; leave FACET out');
    const points: SeriesPoint[] = [];
    for (const r of results) {
      const begin = r.beginTimeSeconds;
      const value = Object.entries(r).find(
        ([k, v]) =>
          k !== 'beginTimeSeconds' && k !== 'endTimeSeconds' && (typeof v === 'number' || v === null),
      )?.[1];
      if (typeof begin === 'number' && typeof value === 'number') points.push({ time: begin * 1000, value });
    }
    return onGrid(points, from, to, stepSeconds);
  }

  async test(): Promise<TestOutcome> {
    try {
      const data = (await this.graphql('{ actor { user { name email } } }', {})) as {
        actor?: { user?: { name?: string; email?: string } };
      };
      const user = data?.actor?.user;
      return { ok: true, message: `New Relic answered as ${user?.name ?? user?.email ?? 'the key’s user'}` };
    } catch (error) {
      if (error instanceof ProviderError) return { ok: false, message: error.message };
      throw error;
    }
  }

  private async graphql(query: string, variables: Record<string, unknown>): Promise<unknown> {
    const a = await callJson(
      this.http,
      newRelicVoice,
      {
        url: `${this.base}/graphql`,
        method: 'POST',
        headers: { 'API-Key': this.apiKey, 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      },
      this.options,
    );
    const errors = graphqlErrors(a.json);
    if (errors) throw new ProviderError(`New Relic answered: ${errors}`);
    return (a.json as { data?: unknown } | undefined)?.data;
  }
}
