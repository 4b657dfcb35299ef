/**
 * OTLP traces: what protobuf costs against JSON. In process, the decoding of one 1,000-span
 * export into the shape the span mapping reads, then the mapping (protobuf: `decodeTraceRequest`;
 * JSON: `JSON.parse`), on exports made by the OpenTelemetry JS serializers the exporters use. Over
 * real HTTP on SQLite (temporary directory), spans stored per second by one client sending
 * 1,000-span exports, per encoding, plain and gzip, and the request sizes.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { loadConfig, startServer } from '@opstrails/server';
import { eventsFromTraces } from '../packages/server/src/domain/otlp-spans.js';
import { decodeTraceRequest } from '../packages/server/src/otlp/protobuf.js';
import { fmt, writeSection } from './lib/results.js';

const SPANS = 1_000;
const REQUESTS = 20;
const DECODE_ROUNDS = 50;

/** One export of SPANS fresh spans (new ids every call), as the SDK makes them. */
function exportOf(): { protobuf: Uint8Array; json: Uint8Array } {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({
      'service.name': 'checkout',
      'service.version': '3.1.0',
      'deployment.environment.name': 'production',
    }),
    spanProcessors: [new SimpleSpanProcessor(memory)],
  });
  const tracer = provider.getTracer('bench');
  const start = Date.now() - 3_600_000;
  for (let i = 0; i < SPANS; i++) {
    tracer
      .startSpan(`GET /api/orders/${i % 20}`, {
        startTime: start + i,
        attributes: { 'http.request.method': 'GET', 'http.response.status_code': 200, 'order.id': `o-${i}` },
      })
      .end(start + i + 15);
  }
  const spans = memory.getFinishedSpans();
  return {
    protobuf: ProtobufTraceSerializer.serializeRequest(spans) as Uint8Array,
    json: JsonTraceSerializer.serializeRequest(spans) as Uint8Array,
  };
}

function msPerExport(decode: () => void): number {
  for (let i = 0; i < 5; i++) decode();
  const started = performance.now();
  for (let i = 0; i < DECODE_ROUNDS; i++) decode();
  return (performance.now() - started) / DECODE_ROUNDS;
}

const load = loadavg()[0] ?? 0;
const sample = exportOf();
const decodeProtobuf = msPerExport(() => {
  const decoded = decodeTraceRequest(Buffer.from(sample.protobuf));
  if (!decoded.ok || !eventsFromTraces(decoded.body).ok) throw new Error('protobuf export did not decode');
});
const decodeJson = msPerExport(() => {
  if (!eventsFromTraces(JSON.parse(Buffer.from(sample.json).toString('utf8'))).ok)
    throw new Error('JSON export did not decode');
});

const dataDir = mkdtempSync(join(tmpdir(), 'opstrails-bench-otlp-'));
const config = loadConfig({ OPSTRAILS_LOG_LEVEL: 'silent' }, { host: '127.0.0.1', port: 0, dataDir });
const server = await startServer(config);
const rows: string[] = [];
try {
  const key = (await server.store.apiKeys.create(server.defaultOrg.id, 'bench', 'READ_WRITE')).key;
  const cases = [
    { name: 'protobuf', type: 'application/x-protobuf', pick: (e: typeof sample) => e.protobuf, gzip: false },
    {
      name: 'protobuf + gzip',
      type: 'application/x-protobuf',
      pick: (e: typeof sample) => e.protobuf,
      gzip: true,
    },
    { name: 'JSON', type: 'application/json', pick: (e: typeof sample) => e.json, gzip: false },
    { name: 'JSON + gzip', type: 'application/json', pick: (e: typeof sample) => e.json, gzip: true },
  ];
  for (const c of cases) {
    const bodies = Array.from({ length: REQUESTS }, () => {
      const raw = Buffer.from(c.pick(exportOf()));
      return c.gzip ? gzipSync(raw) : raw;
    });
    const started = performance.now();
    for (const body of bodies) {
      const res = await fetch(`${server.url}/api/v1/otlp/v1/traces`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${key}`,
          'content-type': c.type,
          ...(c.gzip ? { 'content-encoding': 'gzip' } : {}),
        },
        body,
      });
      if (res.status !== 200) throw new Error(`${c.name}: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
    }
    const seconds = (performance.now() - started) / 1000;
    const bytes = bodies.reduce((sum, b) => sum + b.length, 0) / bodies.length;
    rows.push(
      `| ${c.name} | ${fmt(bytes / 1024)} KB | ${fmt((REQUESTS * SPANS) / seconds)} | ${fmt((seconds * 1000) / REQUESTS, 1)} ms |`,
    );
  }
} finally {
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}

writeSection(
  'otlp',
  `## OTLP traces: protobuf and JSON

\`npm run bench -- otlp\`. Exports of ${fmt(SPANS)} spans (3 attributes each) made by the
OpenTelemetry JS serializers that the OTLP HTTP exporters use.

Decoding in process, one export into the events to store (mean of ${DECODE_ROUNDS}):
protobuf ${fmt(decodeProtobuf, 1)} ms (protobufjs decode, to OTLP/JSON shape, mapping), JSON
${fmt(decodeJson, 1)} ms (JSON.parse, mapping).

Over HTTP, SQLite, one client, ${REQUESTS} requests each (every span a new event):

| encoding | request size | spans stored/s | per request |
| --- | --- | --- | --- |
${rows.join('\n')}

Decoding is a small part of a request's time (compare the two); the rest is the batch path of
POST /api/v1/events (validation, quota, insert). Protobuf's gain is the request size (a third of
JSON's uncompressed). One-minute load average when the run started: ${fmt(load, 1)} (on a shared
machine the absolute figures scale with it; compare within a run).`,
);
