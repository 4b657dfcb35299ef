/**
 * get_metrics_around_event through the official MCP client over HTTP, on both engines: points
 * pushed to the webhook around a deploy, the tool's judgement (structured and in words), the
 * overlapping deploy suggested with what_changed, and get_organization_context listing the metrics.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stepSeries } from '../../../test-support/step-series.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

const MIN = 60_000;
const T = Math.floor((Date.now() - 3 * 3_600_000) / MIN) * MIN;
const iso = (ms: number) => new Date(ms).toISOString();
// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Loose = any;

describe.each(ENGINES)('MCP impact (%s)', (engine) => {
  let server: TestServer;
  let client: Client;
  let deployId: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    const key = await server.key('READ_WRITE');
    const points = stepSeries({
      metric: 'p95_latency',
      subject: 'PRODUCTION',
      at: T,
      before: 180,
      after: 420,
    });
    await server.api('/api/v1/metrics/webhook', { method: 'POST', key, body: JSON.stringify(points) });
    const deploy = { specversion: '1.0', type: 'deployment', subject: 'PRODUCTION', time: iso(T) };
    const send = async (e: object) =>
      (
        (await (
          await server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(e) })
        ).json()) as Loose
      ).data.id as string;
    deployId = await send({ ...deploy, source: 'BE', version: '2.5.0' });
    await send({ ...deploy, source: 'DB', version: '77', time: iso(T + 10 * MIN) });
    client = new Client({ name: 'test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${await server.key('READ_ONLY')}` } },
      }),
    );
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('judges the deploy, names the overlapping one and suggests what to ask next', async () => {
    const result = (await client.callTool({
      name: 'get_metrics_around_event',
      arguments: { eventId: deployId, source: 'BE' },
    })) as Loose;
    expect(result.isError).not.toBe(true);
    const data = result.structuredContent;
    expect(data.metricsMapped).toBe(true);
    expect(data.summary.verdict).toBe('regressed');
    expect(data.metrics[0].reason).toMatch(
      /^p95_latency rose from 180 to 420 \(2\.3x\) in the 2 hours after the deploy; p < 0\.001; 1 other event on PRODUCTION in that time \(deployment of DB 77/,
    );
    expect(data.overlapping.map((e: Loose) => e.source)).toEqual(['DB']);
    expect(data.suggested_next.map((s: Loose) => s.tool)).toEqual(['what_changed', 'get_event']);
    expect(result.content[0].text).toContain('- regressed: p95_latency rose from 180 to 420');
  });

  it('get_organization_context lists the metrics of each subject', async () => {
    const result = (await client.callTool({ name: 'get_organization_context', arguments: {} })) as Loose;
    expect(result.structuredContent.metrics).toEqual([
      {
        subject: 'PRODUCTION',
        metrics: [
          { name: 'p95_latency', source: null, provider: 'pushed', direction: 'lower-is-better', unit: null },
        ],
      },
    ]);
  });
});
