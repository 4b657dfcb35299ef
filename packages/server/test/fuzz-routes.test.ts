/**
 * Hostile input against every route the server registers (read from the running app's own route
 * table, so a new route is fuzzed without editing this file): wrong types in every body field,
 * broken bodies, bad ids, absurd query strings, wrong content types and methods. Never a 5xx,
 * always the JSON envelope naming the problem (a JSON-RPC error on MCP), and nothing stored changes.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ConsoleClient, setupOwner } from '../../../test-support/console-client.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { decodeStatus, PROTOBUF } from '../src/otlp/protobuf.js';

interface Route {
  method: string;
  path: string;
}

/** Parses `printRoutes({commonPrefix: false})`: one route per line, children indented under parents. */
function routeTable(printed: string): Route[] {
  const routes: Route[] = [];
  const parents: string[] = [];
  for (const line of printed.split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+) \(([^)]+)\)/.exec(line);
    if (!match) continue;
    const depth = (match[1] ?? '').length / 4;
    const path = (parents[depth - 1] ?? '') + (match[2] ?? '');
    parents[depth] = path;
    for (const method of (match[3] ?? '').split(', ')) routes.push({ method, path });
  }
  return routes;
}

const HUGE = 'x'.repeat(300_000);
/** Values no field of any route accepts (null and {} are left out: optional fields and `data` take them). */
const BAD_VALUES: unknown[] = [7, -1.5, true, [], ['x'], HUGE, '\ud800', 'a\u0000b', '💥'.repeat(30_000)];
const BAD_BODIES = [
  '',
  'null',
  '[]',
  '[null]',
  '"text"',
  '123',
  '{"a":',
  '{"__proto__":{"x":1}}',
  '{"a":"\\ud800"}',
  `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
];
const BAD_IDS = [
  'x'.repeat(5_000),
  'x'.repeat(900),
  '%00',
  'a%00b',
  '..',
  '%2e%2e%2f',
  '%ff',
  '%E2%82',
  '%ED%A0%80',
  '💥',
];
const BAD_QUERIES = [
  'limit=-1',
  'limit=0',
  'limit=1e309',
  'limit=NaN',
  'limit=99999999999999999999',
  'limit=1&limit=2',
  'limit=',
  'limit[a]=1',
  'from=garbage',
  'from=-99999999999d',
  'from=9999-12-31T23:59:59Z&to=0000-01-01T00:00:00Z',
  'from=2025-01-01T00:00:00',
  'cursor=garbage',
  'cursor=a&cursor=b',
  'severity=HUGE',
  'timezone=Mars/Olympus',
  `search=${'x'.repeat(5_000)}`,
  'search=%00',
  'source=%ED%A0%80',
  'format=xml',
  'days=-1',
  'days=1e9',
  'lastEventId=-5',
  'lastEventId=1e400',
  '%ff=1',
];
const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json; charset=latin1',
  'application/x-protobuf',
];

/** The OAuth endpoints answer in OAuth's own error format (RFC 6749), which MCP clients parse. */
const OAUTH_PATHS = /^\/(oauth\/|\.well-known\/)/;

/** MCP answers tool errors and OTLP rejected spans with a 200; the snapshot proves nothing was stored. */
const ANSWERS_200 = /^\/api\/(mcp\/mcp|v1\/otlp\/)/;
/** A batch whose every element was rejected answers 200 with the rejections (metric points count them: `accepted: 0`). */
const emptyBatch = (json: unknown) => {
  const accepted = (json as { data?: { accepted?: unknown } } | undefined)?.data?.accepted;
  return accepted === 0 || (Array.isArray(accepted) && accepted.length === 0);
};

/** A valid body per route, so each bad field reaches the code behind validation. */
const BASE_BODIES: Record<string, Record<string, unknown>> = {
  'POST /api/v1/events': {
    specversion: '1.0',
    type: 'deployment',
    source: 'BE',
    time: 'NOW',
    subject: 'PROD',
  },
  'POST /api/v1/otlp/v1/traces': { resourceSpans: [] },
  'POST /api/v1/otlp/traces': { resourceSpans: [] },
  'PUT /api/v1/context': { context: 'fuzz' },
  'POST /api/v1/setup': {
    organization: 'O',
    name: 'N',
    email: 'n@example.com',
    password: 'long enough password',
  },
  'POST /api/v1/session': { email: 'nobody@example.com', password: 'wrong password' },
  'PUT /api/v1/session': { organizationId: 'org_unknown' },
  'POST /api/v1/keys': { name: 'fuzz', scope: 'READ_ONLY' },
  'PATCH /api/v1/members/:userId': { role: 'MEMBER' },
  'POST /api/v1/invites': { role: 'MEMBER' },
  'POST /api/v1/invites/peek': { token: 'unknown' },
  'POST /api/v1/invites/accept': {
    token: 'unknown',
    email: 'n@example.com',
    password: 'long enough password',
    name: 'N',
  },
  'POST /api/v1/organizations': { name: 'fuzz' },
  'POST /api/mcp/mcp': {
    jsonrpc: '2.0',
    id: 1,
    method: 'tools/call',
    params: { name: 'query_events', arguments: {} },
  },
};

/** Mutations of a valid body that must all be refused. */
function badBodies(route: Route): string[] {
  const base = BASE_BODIES[`${route.method} ${route.path}`] ?? {};
  const mutated = Object.keys(base).flatMap((field) =>
    BAD_VALUES.map((value) => JSON.stringify({ ...base, [field]: value })),
  );
  // The MCP tool arguments are the fields that matter there.
  if (route.path === '/api/mcp/mcp') {
    for (const arg of ['limit', 'from', 'type', 'search'])
      for (const value of BAD_VALUES)
        mutated.push(
          JSON.stringify({ ...base, params: { name: 'query_events', arguments: { [arg]: value } } }),
        );
  }
  return [...BAD_BODIES, ...mutated];
}

describe.each(ENGINES)('fuzzing every route on %s', (engine) => {
  let server: TestServer;
  let owner: ConsoleClient;
  let key: string;
  let routes: Route[];

  /** Everything a hostile request must not change. */
  const snapshot = async () => {
    const db = server.store.db;
    return JSON.stringify({
      events: await db.selectFrom('events').selectAll().orderBy('seq').execute(),
      keys: await db
        .selectFrom('api_keys')
        .select(['id', 'name', 'scope', 'revoked_at'])
        .orderBy('id')
        .execute(),
      members: await db.selectFrom('memberships').selectAll().orderBy('user_id').execute(),
      users: await db.selectFrom('users').select(['id', 'email', 'name']).orderBy('id').execute(),
      invites: await db.selectFrom('invites').selectAll().orderBy('id').execute(),
      orgs: await db.selectFrom('organizations').selectAll().orderBy('id').execute(),
    });
  };
  let before: string;

  beforeAll(async () => {
    server = await startTestServer(engine);
    owner = await setupOwner(server);
    key = await server.key('READ_WRITE');
    await server.api('/api/v1/events', {
      method: 'POST',
      key,
      body: JSON.stringify({
        specversion: '1.0',
        type: 'deployment',
        source: 'BE',
        time: 'NOW',
        id: 'keep-me',
      }),
    });
    routes = routeTable(server.app.printRoutes({ commonPrefix: false })).filter(
      // HEAD answers without a body; TRACE and QUERY only exist because MCP takes every method.
      (r) => !['HEAD', 'TRACE', 'QUERY'].includes(r.method),
    );
    before = await snapshot();
  });
  afterAll(() => server.close());

  const problems: string[] = [];
  beforeEach(() => {
    problems.length = 0;
  });
  /** `mustRefuse`: the body is bad, so a 2xx is a bug too (unless the route reports rejections in a 200). */
  async function hit(
    route: Route,
    path: string,
    auth: 'key' | 'session' | 'none',
    body?: string,
    type?: string,
    mustRefuse = false,
  ) {
    const headers: Record<string, string> = {};
    if (auth === 'key') headers.authorization = `Bearer ${key}`;
    if (auth === 'session') Object.assign(headers, { cookie: owner.cookie, 'x-csrf-token': owner.csrf });
    if (body !== undefined) headers['content-type'] = type ?? 'application/json';
    if (route.path === '/api/mcp/mcp') headers.accept = 'application/json, text/event-stream';
    const res = await fetch(`${server.url}${path}`, { method: route.method, headers, body });
    const label = `${route.method} ${path.slice(0, 80)} [${auth}] ${String(body).slice(0, 80)}`;
    if (res.status === 200 && path.includes('/events/stream')) {
      await res.body?.cancel();
      return;
    }
    const bytes = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(bytes);
    let json: { success?: boolean; error?: unknown; code?: unknown; jsonrpc?: string } | undefined;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.status >= 500) problems.push(`${res.status} ${label}: ${text.slice(0, 200)}`);
    else if (res.status >= 400) {
      const envelope =
        json?.success === false &&
        typeof json.error === 'string' &&
        json.error.length > 0 &&
        typeof json.code === 'string';
      const rpcError = route.path === '/api/mcp/mcp' && json?.jsonrpc === '2.0' && 'error' in json;
      const oauthError =
        OAUTH_PATHS.test(route.path) &&
        typeof (json as { error_description?: unknown } | undefined)?.error_description === 'string' &&
        typeof json?.error === 'string';
      // OTLP/HTTP answers a protobuf request with a protobuf google.rpc.Status (the OTLP spec).
      const otlpStatus =
        ANSWERS_200.test(route.path) &&
        res.headers.get('content-type')?.startsWith(PROTOBUF) === true &&
        decodeStatus(bytes).code > 0 &&
        decodeStatus(bytes).message.length > 0;
      if (!envelope && !rpcError && !oauthError && !otlpStatus)
        problems.push(`no envelope ${res.status} ${label}: ${text.slice(0, 200)}`);
    } else if (mustRefuse && !ANSWERS_200.test(route.path) && !emptyBatch(json)) {
      problems.push(`accepted ${res.status} ${label}: ${text.slice(0, 200)}`);
    }
  }

  const authsFor = (route: Route): Array<'key' | 'session' | 'none'> =>
    // Signing out is the one thing a session may do with any body; it is fuzzed without one.
    route.method === 'DELETE' && route.path === '/api/v1/session'
      ? ['key', 'none']
      : ['key', 'session', 'none'];
  const withIds = (route: Route, id: string) =>
    route.path === '*' ? `/assets/${id}` : route.path.replace(/:\w+/, id);

  it('reads the route table from the app', () => {
    const paths = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const known of [
      'POST /api/v1/events',
      'GET /api/v1/events/:id',
      'POST /api/mcp/mcp',
      'DELETE /api/v1/keys/:id',
    ])
      expect(paths).toContain(known);
  });

  it('answers hostile bodies with a 4xx envelope', { timeout: 240_000 }, async () => {
    for (const route of routes.filter((r) => !['GET', 'OPTIONS'].includes(r.method))) {
      // DELETE routes read no body; every other route must refuse all of these.
      const refuse = route.method !== 'DELETE';
      const path = withIds(route, 'nope');
      for (const auth of authsFor(route)) {
        // Without credentials only the body parser runs, so the field mutations need a key or session.
        const bodies = auth === 'none' ? BAD_BODIES : badBodies(route);
        for (const body of bodies) await hit(route, path, auth, body, undefined, refuse);
        for (const type of CONTENT_TYPES) await hit(route, path, auth, '{"a":1}', type, refuse);
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers bad ids, query strings and cookies with a 4xx envelope', { timeout: 240_000 }, async () => {
    for (const route of routes) {
      const body = ['GET', 'DELETE', 'OPTIONS'].includes(route.method) ? undefined : '{}';
      for (const auth of authsFor(route)) {
        if (route.path.includes(':') || route.path === '*')
          for (const id of BAD_IDS) await hit(route, withIds(route, id), auth, body);
        for (const query of BAD_QUERIES) await hit(route, `${withIds(route, 'nope')}?${query}`, auth, body);
      }
      for (const cookie of [
        'opstrails_session=%ff',
        'opstrails_session=%00',
        `opstrails_session=${'a'.repeat(4_000)}`,
      ]) {
        const res = await fetch(`${server.url}${withIds(route, 'nope')}`, {
          method: route.method,
          headers: { cookie, 'x-csrf-token': 'x', ...(body ? { 'content-type': 'application/json' } : {}) },
          body,
        });
        if (res.status >= 500)
          problems.push(`${res.status} ${route.method} ${route.path} cookie ${cookie.slice(0, 40)}`);
        await res.body?.cancel();
      }
    }
    expect(problems).toEqual([]);
  });

  it('answers methods a path does not take with a 4xx envelope', async () => {
    const byPath = new Map<string, Set<string>>();
    for (const r of routes) byPath.set(r.path, (byPath.get(r.path) ?? new Set()).add(r.method));
    for (const [path, methods] of byPath) {
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].filter((m) => !methods.has(m)))
        for (const auth of ['key', 'session'] as const)
          await hit(
            { method, path },
            withIds({ method, path }, 'nope'),
            auth,
            method === 'GET' ? undefined : '{}',
          );
    }
    expect(problems).toEqual([]);
  });

  it('names the field and the fix for what the fuzzing found', async () => {
    const event = { specversion: '1.0', type: 'deployment', time: 'NOW' };
    const refused = async (res: Response, status: number, message: RegExp) => {
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({
        success: false,
        code: 'VALIDATION_ERROR',
        error: expect.stringMatching(message),
      });
    };
    const post = (body: unknown) =>
      server.api('/api/v1/events', { method: 'POST', key, body: JSON.stringify(body) });
    await refused(
      await post({ ...event, source: 'a\u0000b' }),
      400,
      /^source: contains a NUL character .*remove it/,
    );
    await refused(
      await post({ ...event, source: 'BE', data: { note: '\ud800' } }),
      400,
      /^data\.note: contains a lone UTF-16 surrogate.*send valid Unicode/,
    );
    await refused(
      await server.api('/api/v1/events?source=a%00b', { key }),
      400,
      /^request URL: contains %00.*remove it/,
    );
    await refused(
      await server.api('/api/v1/events/%E2%82', { key }),
      400,
      /^path: .*percent-encoding.*encodeURIComponent/,
    );
    await refused(
      await server.api(`/api/v1/keys/${'x'.repeat(5_000)}`, { key, method: 'DELETE' }),
      414,
      /^path: an id in the URL is too long/,
    );
    const binary = await server.api('/api/v1/events', {
      method: 'POST',
      key,
      headers: { 'ce-specversion': '1.0', 'ce-type': 'x', 'ce-source': 'a%00b', 'ce-time': 'NOW' },
    });
    await refused(binary, 400, /^source: contains a NUL character/);
    const mcp = await server.api('/api/mcp/mcp', {
      method: 'POST',
      key,
      headers: { accept: 'application/json, text/event-stream' },
      body: `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    });
    expect(mcp.status).toBe(400);
    expect(await mcp.json()).toMatchObject({
      jsonrpc: '2.0',
      error: { code: -32600, message: expect.stringMatching(/nests deeper than 64 levels; flatten it/) },
    });
    expect(await (await server.api('/api/v1/events/nope', { key })).json()).toMatchObject({
      error: 'event "nope" not found in this organization; find ids with GET /api/v1/events',
    });
    expect(await (await server.api('/api/v1/keys', { key })).json()).toMatchObject({
      code: 'UNAUTHORIZED',
      error: expect.stringMatching(/^Authorization: API keys cannot do this; .*sign in to the console/),
    });
    await refused(
      await server.api(`/api/v1/events?search=${'x'.repeat(1_001)}`, { key }),
      400,
      /^search: is 1001 characters; at most 1000, shorten it$/,
    );
    const longSearch = await server.api('/api/mcp/mcp', {
      method: 'POST',
      key,
      headers: { accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'query_events', arguments: { search: 'x'.repeat(100_000) } },
      }),
    });
    // SQLite refuses LIKE patterns over 50,000 bytes; the schema stops it first, naming the argument.
    const answer = await longSearch.text();
    expect(answer).toMatch(/"isError":true/);
    expect(answer).toMatch(/search/);
    expect(answer).not.toMatch(/internal error/);
    const bodilessDelete = await fetch(`${server.url}/api/v1/keys/nope`, {
      method: 'DELETE',
      headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrf, 'content-type': 'application/json' },
    });
    expect(bodilessDelete.status).toBe(404);
    const missingArgument = await server.api('/api/mcp/mcp', {
      method: 'POST',
      key,
      headers: { accept: 'application/json, text/event-stream' },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: { name: 'get_event_summary', arguments: { to: 7 } },
      }),
    });
    const missingText = await missingArgument.text();
    expect(missingText).toMatch(/from: is required/);
    expect(missingText).toMatch(/to: must be a string, not a number/);
    const wrongMethod = await server.api('/api/v1/events', { key, method: 'PUT', body: '{}' });
    expect(await wrongMethod.json()).toMatchObject({
      code: 'NOT_FOUND',
      error: 'PUT /api/v1/events: no such API route; check the method and path in docs/api.md',
    });
    const resume = await server.api('/api/v1/events/stream', {
      key,
      headers: { 'last-event-id': '99999999999999999999999' },
    });
    await refused(resume, 400, /^Last-Event-ID: must be the id of an event this stream sent/);
    const cookie = await fetch(`${server.url}/api/v1/session`, {
      headers: { cookie: 'opstrails_session=%ff' },
    });
    expect(cookie.status).toBe(401);
  });

  it('console bodies: a missing, mistyped or too long field is named with the rule', async () => {
    const refused = async (path: string, body: unknown, message: RegExp) => {
      const res = await owner.call(path, { method: 'POST', body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toMatch(message);
    };
    await refused('/api/v1/keys', {}, /^name: is required; scope: must be READ_ONLY, READ_WRITE or ADMIN$/);
    await refused('/api/v1/keys', { name: 7, scope: 'READ_ONLY' }, /^name: must be a string, not a number$/);
    await refused(
      '/api/v1/keys',
      { name: ['x'], scope: 'READ_ONLY' },
      /^name: must be a string, not an array$/,
    );
    await refused(
      '/api/v1/organizations',
      { name: 'x'.repeat(101) },
      /^name: must be at most 100 characters; shorten it$/,
    );
    const empty = await fetch(`${server.url}/api/v1/organizations`, {
      method: 'POST',
      headers: { cookie: owner.cookie, 'x-csrf-token': owner.csrf, 'content-type': 'application/json' },
    });
    expect(((await empty.json()) as { error: string }).error).toBe(
      'request body: is empty; send a JSON object',
    );
  });

  it('has changed nothing stored', async () => {
    expect(await snapshot()).toBe(before);
  });
});
