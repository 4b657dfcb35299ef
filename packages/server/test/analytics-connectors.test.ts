/**
 * Each SaaS connector end to end, on both engines: an integration and a mapping created over the
 * API with `apiBaseUrl`/`tokenUrl` on a loopback stand-in of the provider (the server started with
 * OPSTRAILS_ALLOW_PRIVATE_TARGETS=127.0.0.1), then `GET /api/v1/metrics/series`,
 * `GET /api/v1/events/{id}/impact` and MCP `get_metrics_around_event` answer with the series that
 * stand-in served: the error rate rises fourfold at the deploy, so the verdict is regressed.
 */
import { generateKeyPairSync } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAdobe } from '../../../test-support/fake-adobe.js';
import { startFakeDatadogMetrics } from '../../../test-support/fake-datadog-metrics.js';
import { startFakeGa4 } from '../../../test-support/fake-ga4.js';
import { startFakeNewRelic } from '../../../test-support/fake-newrelic.js';
import { startFakeSentrySessions } from '../../../test-support/fake-sentry-sessions.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const MIN = 60_000;
// Whole minutes, three hours ago: the 2h after-window (plus 5 minutes to settle) has passed.
const T = Math.floor((Date.now() - 3 * 3_600_000) / MIN) * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Loose = any;

const points: { time: number; value: number }[] = [];
for (let t = T - 130 * MIN, i = 0; t < T + 130 * MIN; t += MIN, i++)
  points.push({ time: t, value: (t < T ? 1 : 4) + (i % 5) * 0.05 });

const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const email = 'opstrails@acme.iam.gserviceaccount.com';

interface Case {
  provider: string;
  query: string;
  start(): Promise<{
    base: string;
    accepted: { query: URLSearchParams; raw: string }[];
    close(): Promise<void>;
  }>;
  /** What the provider's request carries once `$subject` is replaced through subjectValues. */
  carries?: string;
  config(base: string): Record<string, unknown>;
  testMessage: RegExp;
}

const adobeIds = { clientId: 'cid', clientSecret: 'csecret', orgId: 'ORG@AdobeOrg', companyId: 'acmeco0' };
const CASES: Case[] = [
  {
    provider: 'datadog',
    query: 'sum:trace.http.request.errors{env:$subject}.as_rate()',
    start: () => startFakeDatadogMetrics('dd-api', 'dd-app', points),
    config: (base) => ({ site: 'datadoghq.com', apiKey: 'dd-api', appKey: 'dd-app', apiBaseUrl: base }),
    testMessage: /answered a metrics query with both keys/,
    carries: 'sum:trace.http.request.errors{env:prod}.as_rate()',
  },
  {
    provider: 'sentry',
    query: 'crash_rate(session) environment:$subject',
    start: () => startFakeSentrySessions('sntrys_tok', 'acme', points),
    config: (base) => ({ authToken: 'sntrys_tok', organization: 'acme', apiBaseUrl: base }),
    testMessage: /answered for the organization acme Inc/,
    carries: 'environment:prod',
  },
  {
    provider: 'newrelic',
    query:
      "SELECT percentage(count(*), WHERE error IS true) FROM Transaction WHERE appName = '$subject' TIMESERIES 1 minute",
    start: () => startFakeNewRelic('NRAK-KEY', 1234567, points, 'percentage'),
    config: (base) => ({ apiKey: 'NRAK-KEY', accountId: '1234567', apiBaseUrl: base }),
    testMessage: /answered as Ada Lovelace/,
    carries: "WHERE appName = 'prod' TIMESERIES 1 minute SINCE",
  },
  {
    provider: 'ga4',
    query: 'eventCount',
    start: () =>
      startFakeGa4({ clientEmail: email, publicKey, propertyId: '321', timeZone: 'Asia/Tokyo', points }),
    config: (base) => ({
      propertyId: '321',
      serviceAccount: {
        client_email: email,
        private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      },
      apiBaseUrl: base,
      tokenUrl: `${base}/token`,
    }),
    testMessage: /answered for property 321/,
  },
  {
    provider: 'adobe',
    query: 'metrics/event1',
    start: () => startFakeAdobe({ ...adobeIds, rsid: 'prod', timeZone: 'America/Los_Angeles', points }),
    config: (base) => ({
      ...adobeIds,
      reportSuiteId: 'prod',
      timeZone: 'America/Los_Angeles',
      apiBaseUrl: base,
      tokenUrl: `${base}/ims/token/v3`,
    }),
    testMessage: /answered for the report suite Production/,
  },
];

describe.each(ENGINES)('analytics connectors on %s', (engine) => {
  let server: TestServer;
  let admin: string;
  let reader: string;
  let mcp: Client;

  beforeAll(async () => {
    server = await startTestServer(engine, { OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
    admin = await server.key('ADMIN');
    reader = await server.key('READ_ONLY');
    mcp = new Client({ name: 'test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${reader}` } },
      }),
    );
  });
  afterAll(async () => {
    await mcp?.close();
    await server?.close();
  });

  const call = async (path: string, method = 'GET', body?: unknown, key = admin) => {
    const res = await server.api(path, {
      method,
      key,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as Loose };
  };

  it.each(CASES)(
    '$provider: a mapping feeds the series, the impact and get_metrics_around_event',
    async (c) => {
      const fake = await c.start();
      try {
        const subject = `PRODUCTION-${c.provider}`;
        const metric = `${c.provider}.error_rate`;
        const created = await call('/api/v1/integrations', 'POST', {
          provider: c.provider,
          name: `${c.provider} (loopback)`,
          config: c.config(fake.base),
        });
        expect(created.status, JSON.stringify(created.body)).toBe(201);
        expect(JSON.stringify(created.body.data.config)).not.toMatch(
          /dd-app|sntrys_tok|NRAK-KEY|PRIVATE KEY|csecret/,
        );
        const id = created.body.data.id;
        const tested = await call(`/api/v1/integrations/${id}/test`, 'POST');
        expect(tested.body.data).toMatchObject({ ok: true, message: expect.stringMatching(c.testMessage) });

        const mapping = await call('/api/v1/metrics/mappings', 'POST', {
          metric,
          integrationId: id,
          query: c.query,
          subjects: [subject],
          subjectValues: { [subject]: 'prod' },
          direction: 'lower-is-better',
          unit: '%',
        });
        expect(mapping.status, JSON.stringify(mapping.body)).toBe(201);

        const from = T - 30 * MIN;
        const to = T + 30 * MIN;
        const series = await call(
          `/api/v1/metrics/series?metric=${metric}&subject=${subject}&from=${iso(from)}&to=${iso(to)}`,
          'GET',
          undefined,
          reader,
        );
        expect(series.status, JSON.stringify(series.body)).toBe(200);
        expect(series.body.data).toMatchObject({ provider: c.provider, step: '1m' });
        if (c.carries)
          expect(
            fake.accepted.some((r) =>
              `${[...r.query.values()].join(' ')} ${r.raw}`.includes(c.carries ?? ''),
            ),
          ).toBe(true);
        expect(series.body.data.points).toEqual(
          points
            .filter((p) => p.time >= from && p.time < to)
            .map((p) => ({ time: iso(p.time), value: p.value })),
        );

        const event = await call('/api/v1/events', 'POST', {
          specversion: '1.0',
          type: 'deployment',
          source: '//github.com/acme/checkout',
          subject,
          version: 'v3.1.0',
          time: iso(T),
        });
        expect(event.status).toBe(201);
        const impact = await call(`/api/v1/events/${event.body.data.id}/impact`, 'GET', undefined, reader);
        expect(impact.status, JSON.stringify(impact.body)).toBe(200);
        const judged = impact.body.data.metrics.find((m: Loose) => m.metric === metric);
        expect(judged).toMatchObject({ verdict: 'regressed' });
        expect(judged.before.n).toBe(120);
        expect(judged.after.n).toBe(120);

        const around = (await mcp.callTool({
          name: 'get_metrics_around_event',
          arguments: { eventId: event.body.data.id },
        })) as Loose;
        expect(around.isError, JSON.stringify(around.content)).not.toBe(true);
        expect(around.structuredContent.metrics).toContainEqual(
          expect.objectContaining({ metric, verdict: 'regressed' }),
        );

        // A provider that stops answering becomes the integration's lastError, quoting it.
        await fake.close();
        const down = await call(`/api/v1/integrations/${id}/test`, 'POST');
        expect(down.body.data.ok).toBe(false);
        expect(down.body.data.message).toMatch(/did not answer/);
      } finally {
        await fake.close();
      }
    },
  );
});
