/**
 * Health checks over real HTTP on both engines: the routes (configuration access, each field's
 * rule in its 400), runs against a loopback target that fails and recovers on command (the
 * incident and its resolution stored through the ingest path with one correlationid, seen by a
 * consumer and the live feed), uptime and history, the address policy, and the MCP tools
 * through the official client.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { Consumer } from '@opstrails/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFake } from '../../../test-support/fake-service.js';
import { type HealthTarget, startHealthTarget } from '../../../test-support/health-target.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { SseClient } from './sse-client.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Loose = any;

describe.each(ENGINES)('health checks on %s', (engine) => {
  let server: TestServer;
  let target: HealthTarget;
  let admin: string;
  let reader: string;
  const consumed: { type: string; id: string }[] = [];
  const consumer: Consumer = {
    name: 'test-health-check-events',
    async handle(events) {
      for (const e of events) consumed.push({ type: e.type, id: e.id });
    },
  };

  beforeAll(async () => {
    target = await startHealthTarget();
    server = await startTestServer(
      engine,
      { OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' },
      { consumers: [consumer] },
    );
    admin = await server.key('ADMIN');
    reader = await server.key('READ_ONLY');
  }, 60_000);
  afterAll(async () => {
    await server?.close();
    await target?.close();
  });

  const call = async (method: string, path: string, body?: unknown, key = admin) => {
    const res = await server.api(path, {
      method,
      key,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Loose };
  };
  const base = () => ({
    name: 'Checkout API',
    url: target.url,
    intervalSeconds: 10,
    subject: 'PRODUCTION',
    source: 'checkout',
  });
  /** Runs the check's next run now (at the time it is due), as the schedule would. */
  const runNext = async (id: string) => {
    for (;;) {
      const { body } = await call('GET', `/api/v1/checks/${id}`, undefined, reader);
      if ((await server.healthChecks.runDue(Date.parse(body.data.nextRunAt))) > 0) return;
    }
  };

  it('validates each field and names it', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...base(), intervalSeconds: 5 }, /^intervalSeconds: must be at least 10 seconds$/],
      [{ ...base(), url: 'ftp://example.com/x' }, /^url: must be an http or https URL/],
      [{ ...base(), method: 'FETCH' }, /^method: must be one of GET, HEAD/],
      [{ ...base(), expectedStatus: 42 }, /^expectedStatus: must be an HTTP status, 100-599$/],
      [{ ...base(), severity: 'HUGE' }, /^severity: must be one of LOW, MINOR, MAJOR, CRITICAL$/],
      [
        { ...base(), timeoutSeconds: 30, intervalSeconds: 10 },
        /^timeoutSeconds: must be at most intervalSeconds \(10\)/,
      ],
      [{ ...base(), subject: undefined }, /^subject: is required$/],
      [{ ...base(), interval: 10 }, /^request body: interval: not a check field/],
    ];
    for (const [body, message] of cases) {
      const res = await call('POST', '/api/v1/checks', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
      expect(res.body.error).toMatch(message);
    }
    const writer = await server.key('READ_WRITE');
    expect((await call('POST', '/api/v1/checks', base(), writer)).status).toBe(403);
    expect((await call('GET', '/api/v1/checks?limit=0', undefined, reader)).body.error).toMatch(/^limit: /);
    expect((await call('PATCH', '/api/v1/checks/chk_nope', { paused: true })).status).toBe(404);
  });

  it('creates, lists a page at a time, pauses, edits and deletes', async () => {
    const made = await call('POST', '/api/v1/checks', {
      ...base(),
      name: 'First',
      paused: true,
      method: 'head',
    });
    expect(made.status).toBe(201);
    expect(made.body.data).toMatchObject({
      name: 'First',
      method: 'HEAD',
      timeoutSeconds: 10,
      expectedStatus: null,
      severity: null,
      paused: true,
      status: 'unknown',
      nextRunAt: null,
      uptime: { day: null, week: null },
    });
    const second = (await call('POST', '/api/v1/checks', { ...base(), name: 'Second', paused: true })).body
      .data;
    const page1 = (await call('GET', '/api/v1/checks?limit=1', undefined, reader)).body.data;
    expect(page1.checks.map((c: Loose) => c.name)).toEqual(['First']);
    const page2 = (
      await call(
        'GET',
        `/api/v1/checks?limit=1&cursor=${encodeURIComponent(page1.nextCursor)}`,
        undefined,
        reader,
      )
    ).body.data;
    expect(page2.checks.map((c: Loose) => c.name)).toEqual(['Second']);
    expect(page2.nextCursor).toBeNull();

    const edited = await call('PATCH', `/api/v1/checks/${made.body.data.id}`, {
      expectedBody: 'ok',
      severity: 'critical',
      paused: false,
    });
    expect(edited.body.data).toMatchObject({ expectedBody: 'ok', severity: 'CRITICAL', paused: false });
    expect(Date.parse(edited.body.data.nextRunAt)).toBeLessThanOrEqual(Date.now());
    expect(
      (await call('PATCH', `/api/v1/checks/${made.body.data.id}`, { intervalSeconds: 1 })).body.error,
    ).toMatch(/^intervalSeconds: /);
    for (const id of [made.body.data.id, second.id]) {
      expect((await call('DELETE', `/api/v1/checks/${id}`)).body.data).toEqual({ id, deleted: true });
      expect((await call('GET', `/api/v1/checks/${id}`, undefined, reader)).status).toBe(404);
    }
  });

  it('writes an incident after two failed runs and its resolution with the same correlationid', async () => {
    const live = await SseClient.open(`${server.url}/api/v1/events/stream`, {
      authorization: `Bearer ${reader}`,
    });
    const check = (
      await call('POST', '/api/v1/checks', {
        ...base(),
        expectedStatus: 200,
        expectedBody: 'ok',
        severity: 'MAJOR',
      })
    ).body.data;
    await runNext(check.id);
    target.fail();
    await runNext(check.id);
    let state = (await call('GET', `/api/v1/checks/${check.id}`, undefined, reader)).body.data;
    expect(state).toMatchObject({ status: 'up', incident: null, lastError: 'HTTP 503 (expected 200)' });
    await runNext(check.id);
    await runNext(check.id);
    state = (await call('GET', `/api/v1/checks/${check.id}`, undefined, reader)).body.data;
    expect(state.status).toBe('down');
    expect(state.incident).toMatch(new RegExp(`^check:${check.id}:\\d+$`));
    target.recover();
    await runNext(check.id);
    state = (await call('GET', `/api/v1/checks/${check.id}`, undefined, reader)).body.data;
    expect(state).toMatchObject({ status: 'up', incident: null, lastError: null });
    await call('PATCH', `/api/v1/checks/${check.id}`, { paused: true });

    const to = new Date(Date.now() + 3_600_000).toISOString();
    const events = (
      await call('GET', `/api/v1/events?type=incident&source=checkout&to=${to}`, undefined, reader)
    ).body.data.events.filter((e: Loose) => e.data?.check?.id === check.id);
    expect(events).toHaveLength(2);
    const [resolved, triggered] = events;
    expect(triggered).toMatchObject({
      type: 'incident',
      source: 'checkout',
      subject: 'PRODUCTION',
      severity: 'MAJOR',
      data: { status: 'triggered', reason: 'HTTP 503 (expected 200)', httpStatus: 503 },
    });
    expect(triggered.data.title).toBe('Checkout API is down: HTTP 503 (expected 200)');
    // Down from the first failed run (the second run, 10 s after the first) to the fifth: 30 s.
    expect(resolved.data).toMatchObject({ status: 'resolved', httpStatus: 200, downSeconds: 30 });
    expect(triggered.correlationid).toMatch(/^check:/);
    expect(resolved.correlationid).toBe(triggered.correlationid);
    // The normal ingest path: the consumers and the live feed got both.
    await expect
      .poll(() => consumed.filter((e) => e.type === 'incident').map((e) => e.id))
      .toEqual(expect.arrayContaining([triggered.id, resolved.id]));
    await live.until(() => live.deliveries.filter((d) => d.event.type === 'incident').length >= 2);
    live.close();

    const detail = (await call('GET', `/api/v1/checks/${check.id}?limit=3`, undefined, reader)).body.data;
    expect(detail.history.map((h: Loose) => [h.ok, h.status])).toEqual([
      [true, 200],
      [false, 503],
      [false, 503],
    ]);
    // Five runs made here (three failed); the schedule may have made one more before the first (the check is due at once).
    const runs = detail.uptime.runs.day;
    expect([5, 6]).toContain(runs);
    expect(detail.uptime.day).toBeCloseTo((runs - 3) / runs);
    expect(target.requests.filter((r) => r.path === '/health').length).toBeGreaterThanOrEqual(5);
  });

  it('takes the check docs/integrations.md shows as written', async () => {
    const doc = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'integrations.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Health checks'));
    const body = /-d '([\s\S]*?)'/.exec(section)?.[1] ?? '';
    expect(/curl -X POST "\$OPSTRAILS_URL(\S+)"/.exec(section)?.[1]).toBe('/api/v1/checks');
    const made = await call('POST', '/api/v1/checks', { ...JSON.parse(body), paused: true });
    expect(made.status).toBe(201);
    expect(made.body.data).toMatchObject({ name: 'Checkout API', severity: 'CRITICAL', expectedBody: 'ok' });
    await call('DELETE', `/api/v1/checks/${made.body.data.id}`);
  });

  it('keeps the incident of a check paused while down for the first passing run after it resumes', async () => {
    const check = (await call('POST', '/api/v1/checks', { ...base(), name: 'Paused while down' })).body.data;
    target.fail();
    await runNext(check.id);
    await runNext(check.id);
    const down = (await call('PATCH', `/api/v1/checks/${check.id}`, { paused: true })).body.data;
    expect(down).toMatchObject({ status: 'down', paused: true, nextRunAt: null });
    // Paused: not run even when long due.
    await server.healthChecks.runDue(Date.now() + 3_600_000);
    expect((await call('GET', `/api/v1/checks/${check.id}`, undefined, reader)).body.data.lastRunAt).toBe(
      down.lastRunAt,
    );
    target.recover();
    const resumed = (await call('PATCH', `/api/v1/checks/${check.id}`, { paused: false })).body.data;
    expect(resumed).toMatchObject({ status: 'down', incident: down.incident, paused: false });
    await runNext(check.id);
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const events = (
      await call('GET', `/api/v1/events?type=incident&to=${to}&limit=100`, undefined, reader)
    ).body.data.events.filter((e: Loose) => e.data?.check?.id === check.id);
    expect(events.map((e: Loose) => [e.data.status, e.correlationid]).sort()).toEqual([
      ['resolved', down.incident],
      ['triggered', down.incident],
    ]);
    await call('DELETE', `/api/v1/checks/${check.id}`);
  });

  it('resolves the open incident of a check deleted while down, through the ingest path', async () => {
    const check = (await call('POST', '/api/v1/checks', { ...base(), name: 'Deleted while down' })).body.data;
    target.fail();
    try {
      await runNext(check.id);
      await runNext(check.id);
    } finally {
      target.recover();
    }
    const down = (await call('GET', `/api/v1/checks/${check.id}`, undefined, reader)).body.data;
    expect(down.status).toBe('down');
    expect((await call('DELETE', `/api/v1/checks/${check.id}`)).body.data).toEqual({
      id: check.id,
      deleted: true,
    });

    const to = new Date(Date.now() + 3_600_000).toISOString();
    const events = (
      await call('GET', `/api/v1/events?type=incident&to=${to}&limit=100`, undefined, reader)
    ).body.data.events.filter((e: Loose) => e.data?.check?.id === check.id);
    expect(events.map((e: Loose) => [e.data.status, e.correlationid]).sort()).toEqual([
      ['resolved', down.incident],
      ['triggered', down.incident],
    ]);
    const resolved = events.find((e: Loose) => e.data.status === 'resolved');
    expect(resolved.data).toMatchObject({
      title: 'Deleted while down was deleted while down',
      resolvedBecause: 'check-deleted',
      check: { id: check.id },
    });
    expect(resolved.data.downSeconds).toBeGreaterThanOrEqual(0);
    // The normal ingest path: the consumers got it.
    await expect.poll(() => consumed.map((e) => e.id)).toContain(resolved.id);
  });

  it('records a fast check while a slow target still holds its run', async () => {
    const slow = await startFake(() => ({ status: 200, body: 'ok' }));
    slow.hangNext(1);
    try {
      const held = (
        await call('POST', '/api/v1/checks', {
          ...base(),
          name: 'Slow',
          url: `${slow.base}/health`,
          paused: true,
        })
      ).body.data;
      const quick = (await call('POST', '/api/v1/checks', { ...base(), name: 'Quick', paused: true })).body
        .data;
      for (const id of [held.id, quick.id]) await call('PATCH', `/api/v1/checks/${id}`, { paused: false });
      const running = server.healthChecks.runDue(Date.now() + 60_000);
      const history = async (id: string) =>
        (await call('GET', `/api/v1/checks/${id}`, undefined, reader)).body.data.history.length;
      // The quick check's run is recorded while the slow one's request is still unanswered (it would wait 10 s).
      await expect.poll(() => history(quick.id), { timeout: 5_000 }).toBeGreaterThan(0);
      expect(slow.all).toHaveLength(1);
      expect(await history(held.id)).toBe(0);
      await slow.close();
      await running;
      await expect.poll(() => history(held.id)).toBeGreaterThan(0);
      for (const id of [held.id, quick.id]) await call('DELETE', `/api/v1/checks/${id}`);
    } finally {
      await slow.close();
    }
  });

  it('refuses a target the address policy does not allow, naming the setting', async () => {
    const port = new URL(target.url).port;
    const check = (await call('POST', '/api/v1/checks', { ...base(), url: `http://[::1]:${port}/health` }))
      .body.data;
    await runNext(check.id);
    const state = (await call('GET', `/api/v1/checks/${check.id}`, undefined, reader)).body.data;
    expect(state.lastError).toContain('OPSTRAILS_ALLOW_PRIVATE_TARGETS');
    expect(state.history[0]).toMatchObject({ ok: false, status: 0 });
    await call('DELETE', `/api/v1/checks/${check.id}`);
  });

  it('answers list_health_checks and get_uptime through the MCP client', async () => {
    const check = (await call('POST', '/api/v1/checks', { ...base(), name: 'MCP target' })).body.data;
    await runNext(check.id);
    const client = new Client({ name: 'test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${server.url}/api/mcp/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${reader}` } },
      }),
    );
    try {
      const first = (await client.callTool({ name: 'list_health_checks', arguments: { limit: 1 } })) as Loose;
      expect(first.isError).toBeFalsy();
      expect(first.structuredContent.count).toBe(1);
      expect(typeof first.structuredContent.nextCursor).toBe('string');
      const names: string[] = [];
      let cursor: string | null = null;
      do {
        const page = (await client.callTool({
          name: 'list_health_checks',
          arguments: { limit: 1, ...(cursor ? { cursor } : {}) },
        })) as Loose;
        names.push(...page.structuredContent.checks.map((c: Loose) => c.name));
        cursor = page.structuredContent.nextCursor;
      } while (cursor);
      expect(names).toContain('MCP target');
      const up = (await client.callTool({
        name: 'list_health_checks',
        arguments: { status: 'up' },
      })) as Loose;
      expect(up.structuredContent.checks.map((c: Loose) => c.name)).toContain('MCP target');
      expect(up.content[0].text).toContain('MCP target [up] checkout in PRODUCTION, 100.00% up over a day');

      const uptime = (await client.callTool({
        name: 'get_uptime',
        arguments: { check: 'mcp target' },
      })) as Loose;
      expect(uptime.isError).toBeFalsy();
      expect(uptime.structuredContent).toMatchObject({
        id: check.id,
        status: 'up',
        uptime: { day: 1, week: 1 },
      });
      const runs = uptime.structuredContent.runs.day;
      expect(runs).toBeGreaterThanOrEqual(1);
      expect(uptime.structuredContent.recent).toHaveLength(runs);
      expect(uptime.structuredContent.recent[0]).toMatchObject({ ok: true, status: 200 });
      const missing = (await client.callTool({ name: 'get_uptime', arguments: { check: 'nope' } })) as Loose;
      expect(missing.isError).toBe(true);
      expect(missing.content[0].text).toContain('list_health_checks lists them');
    } finally {
      await client.close();
      await call('DELETE', `/api/v1/checks/${check.id}`);
    }
  });
});
