/**
 * Version detection end to end, on every engine: OTLP spans whose service.version changes become
 * one detected `deployment` event, unless a pipeline reported that version there. Most cases run
 * with a grace of 0 (decided as the spans arrive); the grace itself is driven through the
 * decision job's `now`.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { StoredEvent } from '@opstrails/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../../../test-support/test-server.js';
import { SseClient } from '../../../test/sse-client.js';
import { ConfigError, loadConfig, VERSION_DETECTION_GRACE_MS } from '../../config.js';
import type { Store } from '../../store/store.js';
import { decideVersionCandidates } from './version-detection.js';

const HOUR = 3_600_000;
const str = (key: string, value: string) => ({ key, value: { stringValue: value } });
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');
let nextSpan = 1;

/** An OTLP/JSON export of one service's spans, one per time given, all of one version. */
function spans(service: string, version: string, times: number[]) {
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            str('service.name', service),
            str('service.version', version),
            str('deployment.environment.name', 'production'),
          ],
        },
        scopeSpans: [
          {
            spans: times.map((at) => {
              const n = nextSpan++;
              return {
                traceId: hex(n, 32),
                spanId: hex(n, 16),
                name: 'GET /health',
                startTimeUnixNano: `${BigInt(at) * 1_000_000n}`,
                endTimeUnixNano: `${BigInt(at + 5) * 1_000_000n}`,
              };
            }),
          },
        ],
      },
    ],
  };
}

/** A test server with its key, and the helpers every case uses. */
function harness(engine: (typeof ENGINES)[number], env: NodeJS.ProcessEnv) {
  const h = {} as { server: TestServer; key: string };
  beforeAll(async () => {
    h.server = await startTestServer(engine, env);
    h.key = await h.server.key('READ_WRITE');
  });
  afterAll(() => h.server.close());

  async function send(body: unknown, path = '/api/v1/otlp/v1/traces') {
    const res = await h.server.api(path, { method: 'POST', key: h.key, body: JSON.stringify(body) });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
  }
  /** Waits until the consumer has handled every stored event (its own detected ones included). */
  async function caughtUp() {
    for (;;) {
      const status = (await h.server.reactions.consumers.status()).find(
        (c) => c.name === 'version-detection',
      );
      if (status && status.behind === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  async function deployments(service: string) {
    await caughtUp();
    const res = await h.server.api(`/api/v1/events?type=deployment&source=${service}&limit=100`, {
      key: h.key,
    });
    return ((await res.json()) as { data: { events: StoredEvent[] } }).data.events;
  }
  /** A pipeline's own deployment event of `service` in production. */
  const pipeline = (service: string, version: string, at: number) =>
    h.server.api('/api/v1/events', {
      method: 'POST',
      key: h.key,
      body: JSON.stringify({
        specversion: '1.0',
        type: 'deployment',
        source: service,
        subject: 'production',
        version,
        time: new Date(at).toISOString(),
        data: { description: `deployed ${version} from the pipeline` },
      }),
    });
  return { h, send, caughtUp, deployments, pipeline };
}

const detectedFlags = (events: StoredEvent[]) =>
  events.map((e) => (e.data as { detected?: boolean } | undefined)?.detected ?? false);

describe('OPSTRAILS_VERSION_DETECTION_GRACE_MS', () => {
  it('defaults to 15 minutes, takes 0 (decide at once), and refuses what is not milliseconds, naming the setting', () => {
    expect(loadConfig({}).versionDetectionGraceMs).toBe(VERSION_DETECTION_GRACE_MS);
    expect(VERSION_DETECTION_GRACE_MS).toBe(15 * 60_000);
    expect(loadConfig({ OPSTRAILS_VERSION_DETECTION_GRACE_MS: '0' }).versionDetectionGraceMs).toBe(0);
    expect(loadConfig({ OPSTRAILS_VERSION_DETECTION_GRACE_MS: '60000' }).versionDetectionGraceMs).toBe(
      60_000,
    );
    expect(() => loadConfig({ OPSTRAILS_VERSION_DETECTION_GRACE_MS: '15m' })).toThrow(ConfigError);
    expect(() => loadConfig({ OPSTRAILS_VERSION_DETECTION_GRACE_MS: '-1' })).toThrow(
      /OPSTRAILS_VERSION_DETECTION_GRACE_MS="-1".*milliseconds/,
    );
  });
});

describe.each(ENGINES)('version detection after the grace period on %s', (engine) => {
  const { h, send, caughtUp, deployments, pipeline } = harness(engine, {});
  const T = Date.now() - 6 * HOUR;
  const GRACE = VERSION_DETECTION_GRACE_MS;
  /** The decision job as it would run `ms` from now, once the consumer has seen every span sent. */
  const decideIn = async (ms: number) => {
    await caughtUp();
    return decideVersionCandidates(h.server.store as unknown as Store, GRACE, Date.now() + ms);
  };

  it('writes nothing for a version whose pipeline reports 5 minutes after its first span, within the grace', async () => {
    await send(spans('ledger', '1.0.0', [T]));
    await send(spans('ledger', '2.0.0', [T + HOUR, T + HOUR + 1000]));
    expect(await deployments('ledger')).toEqual([]);
    // The rollout finished; the pipeline reports now, 5 minutes after the first span, grace running.
    expect(await decideIn(5 * 60_000)).toBe(0);
    expect((await pipeline('ledger', '2.0.0', T + HOUR + 5 * 60_000)).status).toBe(201);
    expect(await decideIn(GRACE + 60_000)).toBe(0);
    const after = await deployments('ledger');
    expect(after.map((e) => e.version)).toEqual(['2.0.0']);
    expect(detectedFlags(after)).toEqual([false]);
    // Decided: a later run finds nothing left to decide.
    expect(await decideIn(2 * GRACE)).toBe(0);
    expect(await deployments('ledger')).toHaveLength(1);
  });

  it('writes exactly one detected deployment, dated at the first span, once the grace has passed without a pipeline', async () => {
    await send(spans('vault', '1.0.0', [T]));
    await send(spans('vault', '2.0.0', [T + HOUR, T + HOUR + 1000]));
    expect(await deployments('vault')).toEqual([]);
    expect(await decideIn(GRACE - 60_000)).toBe(0);
    expect(await deployments('vault')).toEqual([]);

    expect(await decideIn(GRACE + 1000)).toBe(1);
    const [detected, ...more] = await deployments('vault');
    expect(more).toEqual([]);
    expect(detected).toMatchObject({
      type: 'deployment',
      source: 'vault',
      subject: 'production',
      version: '2.0.0',
      time: new Date(T + HOUR).toISOString(),
      data: { detected: true, previousVersion: '1.0.0', detectedFrom: 'otlp-spans' },
    });
    expect(await decideIn(2 * GRACE)).toBe(0);
    expect(await deployments('vault')).toHaveLength(1);

    // The first version was the baseline: nothing was ever waiting for it.
    expect((await deployments('vault')).map((e) => e.version)).not.toContain('1.0.0');
  });

  it('stores one detected deployment when two decision runs (two instances) take the same candidate at once', async () => {
    await send(spans('ledger-b', '1.0.0', [T]));
    await send(spans('ledger-b', '3.0.0', [T + HOUR]));
    expect(await deployments('ledger-b')).toEqual([]);
    const runs = await Promise.all([decideIn(GRACE + 1000), decideIn(GRACE + 1000), decideIn(GRACE + 1000)]);
    expect(runs.reduce((a, b) => a + b, 0)).toBe(1);
    const after = await deployments('ledger-b');
    expect(after.map((e) => e.version)).toEqual(['3.0.0']);
    expect(detectedFlags(after)).toEqual([true]);
  });

  it('waits for a rollback too, and a pipeline report older than an hour before the first span does not count', async () => {
    await send(spans('till', '1.0.0', [T]));
    expect((await pipeline('till', '2.0.0', T - 2 * HOUR)).status).toBe(201);
    await send(spans('till', '2.0.0', [T + 60_000]));
    expect(await decideIn(GRACE + 1000)).toBe(1);
    await send(spans('till', '1.0.0', [T + 3 * HOUR]));
    expect(detectedFlags((await deployments('till')).filter((e) => e.version === '1.0.0'))).toEqual([]);
    expect(await decideIn(GRACE + 1000)).toBe(1);
    const after = await deployments('till');
    expect(after.map((e) => [e.version, detectedFlags([e])[0]])).toEqual([
      ['1.0.0', true],
      ['2.0.0', true],
      ['2.0.0', false],
    ]);
    expect(after[0]?.data).toMatchObject({ previousVersion: '2.0.0' });
  });
});

describe.each(ENGINES)(
  'version detection with a grace of 0 (decided as the spans arrive) on %s',
  (engine) => {
    const { h, send, deployments } = harness(engine, { OPSTRAILS_VERSION_DETECTION_GRACE_MS: '0' });
    const T = Date.now() - 6 * HOUR;
    const server = {
      api: (...args: Parameters<TestServer['api']>) => h.server.api(...args),
      get url() {
        return h.server.url;
      },
    };
    let key = '';
    beforeAll(() => {
      key = h.key;
    });

    it('writes one detected deployment when a new version shows up, none for the first version or the same one again', async () => {
      await send(spans('catalog', '1.0.0', [T, T + 1000]));
      expect(await deployments('catalog')).toEqual([]);

      await send(spans('catalog', '2.0.0', [T + 60_000, T + 61_000]));
      const [detected, ...more] = await deployments('catalog');
      expect(more).toEqual([]);
      expect(detected).toMatchObject({
        type: 'deployment',
        source: 'catalog',
        subject: 'production',
        version: '2.0.0',
        time: new Date(T + 60_000).toISOString(),
        data: { detected: true, previousVersion: '1.0.0', detectedFrom: 'otlp-spans' },
      });
      const description = (detected?.data as { description?: string } | undefined)?.description;
      expect(description).toContain('version 2.0.0 observed on catalog in production');
      expect(description).not.toMatch(/deploy/);

      // A rolling deploy: both versions keep reporting. Neither is new any more.
      await send(spans('catalog', '2.0.0', [T + 120_000]));
      await send(spans('catalog', '1.0.0', [T + 121_000]), '/api/v1/otlp/traces');
      await send(spans('catalog', '2.0.0', [T + 122_000]));
      expect(await deployments('catalog')).toHaveLength(1);

      // 1.0.0 back after more than an hour without a span of it: a rollback, observed.
      await send(spans('catalog', '1.0.0', [T + 3 * HOUR]));
      const after = await deployments('catalog');
      expect(after.map((e) => e.version)).toEqual(['1.0.0', '2.0.0']);
      expect(after[0]?.data).toMatchObject({ detected: true, previousVersion: '2.0.0' });

      // Idle for two hours, back with the version it had: nothing changed.
      await send(spans('catalog', '1.0.0', [T + 5 * HOUR]));
      expect(await deployments('catalog')).toHaveLength(2);
    });

    it('writes nothing when a pipeline reported that version there in the last hour, and does when its report is older', async () => {
      await send(spans('search', '4.0.0', [T]));
      const pipeline = (version: string, at: number) =>
        server.api('/api/v1/events', {
          method: 'POST',
          key,
          body: JSON.stringify({
            specversion: '1.0',
            type: 'deployment',
            source: 'search',
            subject: 'production',
            version,
            time: new Date(at).toISOString(),
            data: { description: `deployed ${version} from the pipeline` },
          }),
        });
      expect((await pipeline('5.0.0', T + HOUR - 10 * 60_000)).status).toBe(201);
      await send(spans('search', '5.0.0', [T + HOUR]));
      const afterPipeline = await deployments('search');
      expect(afterPipeline).toHaveLength(1);
      expect(afterPipeline[0]?.data).not.toHaveProperty('detected');

      // The pipeline's report of 6.0.0 is two hours older than its first span: not this deployment.
      expect((await pipeline('6.0.0', T)).status).toBe(201);
      await send(spans('search', '6.0.0', [T + 2 * HOUR]));
      const detected = (await deployments('search')).filter((e) => e.version === '6.0.0');
      expect(detected.map((e) => (e.data as { detected?: boolean }).detected ?? false)).toEqual([
        true,
        false,
      ]);
    });

    it('puts the detected deployment on the live feed like any event', async () => {
      const stream = await SseClient.open(
        `${server.url}/api/v1/events/stream?type=deployment&source=basket`,
        {
          authorization: `Bearer ${key}`,
        },
      );
      try {
        await send(spans('basket', '7.0.0', [T]));
        await send(spans('basket', '7.1.0', [T + 60_000]));
        await stream.until(() => stream.deliveries.length > 0, 30_000, 'the detected deployment');
        expect(
          stream.deliveries.map((d) => [d.event.version, (d.event.data as { detected?: boolean }).detected]),
        ).toEqual([['7.1.0', true]]);
      } finally {
        stream.close();
      }
    });

    it('detects the new version of a service instrumented with the OpenTelemetry SDK (protobuf exporter)', async () => {
      /** The service as deployed: its SDK, its resource, one request served, flushed. */
      async function run(version: string, at: number) {
        const provider = new BasicTracerProvider({
          resource: resourceFromAttributes({
            'service.name': 'cart',
            'service.version': version,
            'deployment.environment.name': 'production',
          }),
          spanProcessors: [
            new SimpleSpanProcessor(
              new OTLPTraceExporter({
                url: `${server.url}/api/v1/otlp/v1/traces`,
                headers: { authorization: `Bearer ${key}` },
              }),
            ),
          ],
        });
        provider
          .getTracer('cart')
          .startSpan('GET /cart', { startTime: at })
          .end(at + 3);
        await provider.shutdown();
      }
      await run('2026.1.0', T);
      await run('2026.2.0', T + 30 * 60_000);
      const [detected, ...more] = await deployments('cart');
      expect(more).toEqual([]);
      expect(detected).toMatchObject({
        version: '2026.2.0',
        time: new Date(T + 30 * 60_000).toISOString(),
        data: { detected: true, previousVersion: '2026.1.0' },
      });
    });
  },
);
