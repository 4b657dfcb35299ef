/**
 * CDEvents on POST /api/v1/events over real HTTP, both engines, with the CDEvents spec's own
 * conformance examples (v0.4.1 and v0.5.1, copied from github.com/cdevents/spec `conformance/`)
 * as structured application/cdevents+json bodies, as CloudEvents, in binary mode and in a batch.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Loose = any;

const DIR = join(import.meta.dirname, 'fixtures', 'cdevents');
const VERSIONS = ['v0.4', 'v0.5'];
const example = (version: string, name: string) =>
  JSON.parse(readFileSync(join(DIR, version, `${name}.json`), 'utf8')) as Loose;

/** What each example becomes: type, source, subject, version, data.status. */
const EXPECTED: Record<
  string,
  { type: string; source: string; subject?: string; version?: string; status?: string }
> = {
  service_deployed: {
    type: 'deployment',
    source: 'mySubject123',
    subject: 'test123',
    version: 'sha256:0b31b1c02ff4',
    status: 'success',
  },
  service_upgraded: {
    type: 'deployment',
    source: 'mySubject123',
    subject: 'test123',
    version: 'sha256:0b31b1c02ff4',
    status: 'success',
  },
  service_rolledback: {
    type: 'rollback',
    source: 'mySubject123',
    subject: 'test123',
    version: 'sha256:0b31b1c02ff4',
    status: 'success',
  },
  service_removed: { type: 'service-removed', source: 'mySubject123', subject: 'test123' },
  environment_created: { type: 'environment-created', source: '/event/source/123', subject: 'mySubject123' },
  environment_modified: {
    type: 'environment-modified',
    source: '/event/source/123',
    subject: 'mySubject123',
  },
  environment_deleted: { type: 'environment-deleted', source: '/event/source/123', subject: 'mySubject123' },
  incident_detected: {
    type: 'incident',
    source: 'myApp',
    subject: 'prod1',
    version: 'sha256:0b31b1c02ff4',
    status: 'detected',
  },
  incident_reported: {
    type: 'incident',
    source: 'myApp',
    subject: 'prod1',
    version: 'sha256:0b31b1c02ff4',
    status: 'reported',
  },
  incident_resolved: {
    type: 'incident',
    source: 'myApp',
    subject: 'prod1',
    version: 'sha256:0b31b1c02ff4',
    status: 'resolved',
  },
  pipelinerun_finished: { type: 'pipeline-run', source: 'myPipeline', status: 'failed' },
  change_merged: { type: 'change-merged', source: 'TestRepo/TestOrg' },
};

describe.each(ENGINES)('CDEvents on %s', (engine) => {
  let server: TestServer;
  let writer: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    writer = await server.key('READ_WRITE');
  });
  afterAll(() => server.close());

  const post = async (
    body: unknown,
    contentType = 'application/cdevents+json',
    headers: Record<string, string> = {},
  ) => {
    const res = await server.api('/api/v1/events', {
      method: 'POST',
      key: writer,
      body: JSON.stringify(body),
      headers: { 'content-type': contentType, ...headers },
    });
    return { status: res.status, body: (await res.json()) as Loose };
  };

  it('has every example of both versions', () => {
    for (const version of VERSIONS)
      expect(
        readdirSync(join(DIR, version))
          .map((f) => f.replace('.json', ''))
          .sort(),
      ).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const version of VERSIONS)
    for (const [name, expected] of Object.entries(EXPECTED))
      it(`${version} ${name} maps to ${expected.type}, the original kept`, async () => {
        const cdevent = example(version, name);
        // The examples share one context id; each gets its own so source + id idempotency keeps them apart.
        cdevent.context.id = `${version}-${name}`;
        const res = await post(cdevent);
        expect(res.status).toBe(201);
        const e = res.body.data;
        expect(e).toMatchObject({ id: `${version}-${name}`, type: expected.type, source: expected.source });
        expect(e.subject ?? undefined).toBe(expected.subject);
        expect(e.version ?? undefined).toBe(expected.version);
        expect(e.data.status).toBe(expected.status);
        expect(e.time).toBe(new Date(Date.parse(cdevent.context.timestamp)).toISOString());
        expect(e.data.cdevent).toEqual(cdevent);
        expect(e.data.cdeventsVersion).toMatch(version === 'v0.4' ? /^0\.4\./ : /^0\.5\./);
        if (expected.type === 'incident') expect(e.correlationid).toBe('cdevents:incident-123');
      });

  it('as a CloudEvent with a dev.cdevents type, in binary mode, and in a batch with a bad one rejected by index', async () => {
    const cdevent = example('v0.5', 'service_deployed');
    cdevent.context.id = 'as-cloudevent';
    const structured = await post(
      {
        specversion: '1.0',
        id: 'ce-1',
        source: '/event/source/123',
        type: cdevent.context.type,
        data: cdevent,
      },
      'application/cloudevents+json',
    );
    expect(structured.status).toBe(201);
    expect(structured.body.data).toMatchObject({
      id: 'as-cloudevent',
      type: 'deployment',
      subject: 'test123',
    });

    cdevent.context.id = 'binary';
    const binary = await post(cdevent, 'application/json', {
      'ce-specversion': '1.0',
      'ce-id': 'ce-2',
      'ce-source': '/event/source/123',
      'ce-type': cdevent.context.type,
    });
    expect(binary.status).toBe(201);
    expect(binary.body.data).toMatchObject({
      id: 'binary',
      type: 'deployment',
      version: 'sha256:0b31b1c02ff4',
    });

    const good = example('v0.4', 'incident_detected');
    good.context.id = 'batch-good';
    const bad = example('v0.4', 'incident_resolved');
    delete bad.subject;
    const batch = await post([good, bad], 'application/json');
    expect(batch.status).toBe(200);
    expect(batch.body.data.accepted.map((e: Loose) => e.id)).toEqual(['batch-good']);
    expect(batch.body.data.rejected).toEqual([
      { index: 1, code: 'VALIDATION_ERROR', error: expect.stringMatching(/"context" and "subject"/) },
    ]);
  });

  it('an ordinary event is untouched', async () => {
    const res = await post(
      { specversion: '1.0', type: 'deployment', source: 'api', time: 'NOW', data: { context: 'x' } },
      'application/json',
    );
    expect(res.status).toBe(201);
    expect(res.body.data.data).toEqual({ context: 'x' });
  });
});
