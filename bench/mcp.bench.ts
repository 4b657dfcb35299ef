/**
 * MCP tool calls over HTTP against a store of 1,000,000 events (90 days, 10 sources x 10
 * subjects): `query_events` and `what_changed`, one call at a time from the official client
 * (current protocol), p50/p99 per call. Target: p99 under 50 ms. The server runs in its own
 * process; each call is a full HTTP exchange (auth, quota count, a fresh MCP server, the query).
 */
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { fmt, percentile, writeSection } from './lib/results.js';
import { seededDataDir } from './lib/seed.js';
import { createKey, startServerProcess } from './lib/server-process.js';

const EVENTS = 1_000_000;
const CALLS = 400;
const WARMUP = 30;

interface Stats {
  p50: number;
  p99: number;
  mean: number;
  max: number;
}

function stats(ms: number[]): Stats {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    mean: ms.reduce((s, x) => s + x, 0) / ms.length,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

type Args = Record<string, unknown>;

async function measure(client: Client, name: string, argsFor: (i: number) => Args): Promise<Stats> {
  const times: number[] = [];
  for (let i = -WARMUP; i < CALLS; i++) {
    const started = performance.now();
    const result = await client.callTool({ name, arguments: argsFor(i + WARMUP) });
    const elapsed = performance.now() - started;
    if (result.isError) throw new Error(`${name} failed: ${JSON.stringify(result.content)}`);
    if (i >= 0) times.push(elapsed);
  }
  return stats(times);
}

const dataDir = await seededDataDir(EVENTS);
const key = createKey(dataDir, 'READ_ONLY');
const server = await startServerProcess(dataDir);
const client = new Client({ name: 'bench', version: '1' }, { versionNegotiation: { mode: 'auto' } });
try {
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp/mcp`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  const newest = await client.callTool({ name: 'query_events', arguments: { limit: 1 } });
  const end = Date.parse((newest.structuredContent as { events: { time: string }[] }).events[0]?.time ?? '');
  const incidents = await client.callTool({
    name: 'query_events',
    arguments: { type: 'incident', subject: 'PRODUCTION', limit: 100 },
  });
  const incidentIds = (incidents.structuredContent as { events: { id: string }[] }).events.map((e) => e.id);
  const iso = (ms: number) => new Date(ms).toISOString();
  const HOUR = 3_600_000;

  // A mix of what an assistant asks: recent windows, a subject, a source, a type with severity, free text.
  const queries: ((i: number) => Args)[] = [
    (i) => ({ from: iso(end - 2 * HOUR - i * 60_000), to: iso(end - i * 60_000) }),
    (i) => ({ subject: 'PRODUCTION', from: iso(end - 24 * HOUR - i * HOUR) }),
    () => ({ source: 'BE', limit: 25 }),
    (i) => ({
      type: 'deployment',
      severity: 'MAJOR',
      from: iso(end - 7 * 24 * HOUR),
      to: iso(end - (i % 100) * HOUR),
    }),
    (i) => ({ search: 'rollback', from: iso(end - 24 * HOUR - i * HOUR), to: iso(end - i * HOUR) }),
  ];
  const query = await measure(client, 'query_events', (i) =>
    (queries[i % queries.length] as (i: number) => Args)(i),
  );
  const changed = await measure(client, 'what_changed', (i) =>
    i % 2 === 0 && incidentIds.length > 0
      ? { eventId: incidentIds[i % incidentIds.length] }
      : { time: iso(end - (i + 1) * 3 * HOUR), subject: 'PRODUCTION', source: 'BE', window: '2h' },
  );
  const load = loadavg()[0] ?? 0;
  const row = (name: string, s: Stats) =>
    `| \`${name}\` | ${fmt(s.p50, 1)} ms | ${fmt(s.p99, 1)} ms | ${fmt(s.mean, 1)} ms | ${fmt(s.max, 1)} ms | ${s.p99 < 50 ? 'yes' : '**no**'} |`;
  writeSection(
    'mcp',
    `## MCP tool calls

\`npm run bench -- mcp\`: ${fmt(EVENTS)} events (90 days, 10 sources x 10 subjects, SQLite), the official
MCP client (2.x, protocol ${client.getNegotiatedProtocolVersion()}) calling one tool at a time over HTTP,
${CALLS} measured calls per tool after ${WARMUP} warm-up calls. Each call is a full exchange: key check,
MCP quota count (a write), a fresh per-request MCP server, the store query, output-schema validation.
\`query_events\` rotates five realistic filters (a 2 h window, a subject over a day, a source, type +
severity over a week, free text over a day); \`what_changed\` alternates incident ids and times
(2 h window, up to 200 candidate events, the staging check by version over the 14 days before).

| tool | p50 | p99 | mean | max | p99 < 50 ms |
| --- | ---: | ---: | ---: | ---: | :---: |
${row('query_events', query)}
${row('what_changed', changed)}

Load average at the end of the run: ${fmt(load, 1)} on this machine's cores${
      load > 1.5 ? ' (other work shared the machine: the tail figures carry its noise)' : ''
    }.`,
  );
} finally {
  await client.close();
  await server.stop();
}
