/** GET /api/v1/openapi.json covers every route Fastify has; /api/docs renders it without outside resources. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { BODIES, HAND_CHECKED_BODIES, OTHER_BODIES } from '../src/http/routes/openapi/document.js';

describe('OpenAPI document', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer('sqlite');
  }, 60_000);
  afterAll(() => server.close());

  it('lists every registered route, and each listed route exists', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    const listed = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    // Fastify's own view of its routes, independent of the document: the radix tree it prints.
    const fromTree = new Set<string>();
    const stack: string[] = [];
    for (const line of server.app.printRoutes({ commonPrefix: false }).split('\n')) {
      const m = /^((?:[│ ] {3})*)[├└]── (\S+) \(([^)]+)\)$/.exec(line);
      if (!m) continue;
      const depth = (m[1] as string).length / 4;
      stack.length = depth;
      stack.push(m[2] as string);
      for (const method of (m[3] as string).split(', '))
        if (method !== 'HEAD') fromTree.add(`${method} ${stack.join('')}`);
    }
    // The tree prints the root wildcard `/*` as `*`.
    const normal = (entry: string) => entry.replace(/:[\w|:]+/g, ':p').replace(/ (?!\/)/, ' /');
    const documented = new Set(listed.map(normal));
    expect(fromTree.size).toBeGreaterThan(50);
    for (const route of fromTree)
      expect(documented, `${route} is a route but missing from the document`).toContain(normal(route));
    for (const entry of listed) {
      const [method, url] = entry.split(' ') as [string, string];
      expect(
        server.app.hasRoute({ method: method as 'GET', url }),
        `${entry} is in the document but not a route`,
      ).toBe(true);
    }
    for (const required of [
      'POST /api/v1/events',
      'GET /api/v1/events/:id',
      'GET /metrics',
      'GET /healthz',
    ]) {
      expect(listed).toContain(required);
    }
  });

  it('describes the request body of every POST, PUT and PATCH route, or says why there is none', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown }>>;
    };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([m, op]) => ({
        key: `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`,
        path: path.replace(/\{(\w+)\}/g, ':$1'),
        method: m.toUpperCase(),
        described: op.requestBody !== undefined,
      })),
    );
    const explained = (r: { key: string; path: string }) =>
      OTHER_BODIES[r.key] !== undefined || OTHER_BODIES[`* ${r.path}`] !== undefined;
    const missing = routes
      .filter((r) => ['POST', 'PUT', 'PATCH'].includes(r.method) && !r.described && !explained(r))
      .map((r) => r.key);
    expect(
      missing,
      `routes with no request body in /api/v1/openapi.json: export the zod schema each handler validates its body with (parseBody) and add it to BODIES in packages/server/src/http/routes/openapi/document.ts as '<METHOD> <path as registered>': <schema>; a route that takes no JSON body goes in OTHER_BODIES there, with the reason`,
    ).toEqual([]);
    // Every entry names a real route, so none outlives its route or hides a typo.
    const keys = new Set(routes.map((r) => r.key));
    const paths = new Set(routes.map((r) => r.path));
    const stale = [
      ...Object.keys(BODIES),
      ...Object.keys(HAND_CHECKED_BODIES),
      ...Object.keys(OTHER_BODIES),
    ].filter((k) => (k.startsWith('* ') ? !paths.has(k.slice(2)) : !keys.has(k)));
    expect(stale, 'entries in openapi/document.ts that are not routes (renamed or removed?)').toEqual([]);
    // A zod body is the schema itself: its fields are in the document.
    const setup = JSON.stringify(doc.paths['/api/v1/setup']?.post?.requestBody);
    for (const field of ['name', 'email', 'password', 'organization']) expect(setup).toContain(`"${field}"`);
    const key = JSON.stringify(doc.paths['/api/v1/keys']?.post?.requestBody);
    expect(key).toContain('"ADMIN"');
    const policy = JSON.stringify(doc.paths['/api/v1/guardrails/policies']?.post?.requestBody);
    for (const field of ['ruleType', 'COOLDOWN', 'config', 'notificationChannels'])
      expect(policy).toContain(`"${field}"`);
    // A channel's config is the schema its type checks it with.
    const channel = JSON.stringify(doc.paths['/api/v1/channels']?.post?.requestBody);
    for (const field of ['webhook', 'routingKey', 'recipients', 'url'])
      expect(channel).toContain(`"${field}"`);
    // Integrations, mappings and metric points: the fields their hand checks accept.
    const integration = JSON.stringify(doc.paths['/api/v1/integrations']?.post?.requestBody);
    for (const field of ['provider', 'prometheus', 'datadog', 'name', 'config'])
      expect(integration).toContain(`"${field}"`);
    const mapping = JSON.stringify(doc.paths['/api/v1/metrics/mappings']?.post?.requestBody);
    for (const field of ['metric', 'integrationId', 'query', 'subjects', 'subjectValues', 'step'])
      expect(mapping).toContain(`"${field}"`);
    expect(mapping).toContain('"lower-is-better"');
    const webhook = JSON.stringify(doc.paths['/api/v1/metrics/webhook']?.post?.requestBody);
    for (const field of ['points', 'metric', 'subject', 'source', 'time', 'value'])
      expect(webhook).toContain(`"${field}"`);
    expect(webhook).toContain('"maxItems":5000');
  });

  it('describes the event body with the schema ingest validates with', async () => {
    const doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<
        string,
        Record<string, { requestBody?: { content: Record<string, { schema: unknown }> } }>
      >;
    };
    const schema = JSON.stringify(
      doc.paths['/api/v1/events']?.post?.requestBody?.content['application/json']?.schema,
    );
    for (const field of ['specversion', 'type', 'source', 'time', 'subject', 'severity', 'version', 'data']) {
      expect(schema).toContain(`"${field}"`);
    }
  });

  it('/api/docs is a self-contained page listing the routes', async () => {
    const res = await fetch(`${server.url}/api/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    const text = await res.text();
    expect(text).toContain('<code>/api/v1/events/{id}</code>');
    expect(text).not.toMatch(/<script|<link|src="http/);
  });
});
