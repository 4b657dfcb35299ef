/**
 * Guardrails end to end on both engines, over real HTTP: who may configure them, bad input named
 * and nothing stored, a deploy during a freeze recorded as a violation (via the API) by the
 * consumer and notified once (one outbox row; a signed webhook on a loopback receiver gets one
 * delivery), the check endpoint answering from the same rules without storing anything, events
 * too old to notify, state and its reset on edit, and the plan's limits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebhookReceiver } from '../../../test-support/fake-webhook.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are walked by path; the assertions are the type check
type Json = Record<string, any>;

const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString();

async function eventually<T>(read: () => Promise<T>, done: (v: T) => boolean, what: string): Promise<T> {
  const until = Date.now() + 15_000;
  for (;;) {
    const v = await read();
    if (done(v)) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.each(ENGINES)('guardrails on %s', (engine) => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let admin: string;
  let writer: string;
  let reader: string;
  let channelId: string;

  const call = async (method: string, path: string, body?: unknown, key = admin) => {
    const res = await server.api(path, {
      method,
      key,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const send = (events: unknown[]) => call('POST', '/api/v1/events', events, writer);
  const violations = async (query = '') =>
    (await call('GET', `/api/v1/guardrails/violations${query}`, undefined, reader)).body.data;

  beforeAll(async () => {
    receiver = await startWebhookReceiver('hook-secret-1234');
    server = await startTestServer(engine, { OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1' });
    admin = await server.key('ADMIN');
    writer = await server.key('READ_WRITE');
    reader = await server.key('READ_ONLY');
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it('lets only configuration writers create guardrails, and names the field of bad input', async () => {
    const freeze = { name: 'F', startsAt: iso(Date.now()), endsAt: iso(Date.now() + HOUR) };
    const refused = await call('POST', '/api/v1/guardrails/freezes', freeze, writer);
    expect(refused.status).toBe(403);
    expect(refused.body.error).toContain('scope ADMIN');
    expect((await call('POST', '/api/v1/guardrails/policies', {}, reader)).status).toBe(403);

    const bad: [string, unknown, string][] = [
      ['freezes', { ...freeze, endsAt: iso(Date.now() - HOUR) }, 'endsAt: must be after startsAt'],
      ['freezes', { ...freeze, startsAt: '2026-12-20T00:00:00' }, 'startsAt:'],
      ['freezes', { ...freeze, severities: ['HUGE'] }, 'severities: holds "HUGE"'],
      [
        'freezes',
        { ...freeze, recurrence: { rrule: 'FREQ=DAILY;INTERVAL=x', duration: 'PT1H', timezone: 'UTC' } },
        'recurrence.rrule:',
      ],
      [
        'freezes',
        { ...freeze, recurrence: { rrule: 'FREQ=DAILY', duration: '1h', timezone: 'UTC' } },
        'recurrence.duration:',
      ],
      ['freezes', { ...freeze, colour: 'red' }, 'colour: is not a field here'],
      ['policies', { name: 'P', ruleType: 'NEVER', config: {} }, 'ruleType: must be BLOCKED_DAYS'],
      [
        'policies',
        { name: 'P', ruleType: 'ALLOWED_HOURS', config: { startHour: 9, endHour: 25, timezone: 'UTC' } },
        'config.endHour:',
      ],
      [
        'policies',
        { name: 'P', ruleType: 'COOLDOWN', config: { cooldownMinutes: 5 }, severities: [] },
        'policies have no severities filter',
      ],
    ];
    for (const [kind, body, message] of bad) {
      const res = await call('POST', `/api/v1/guardrails/${kind}`, body);
      expect(res.status, message).toBe(400);
      expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
      expect(res.body.error).toContain(message);
    }
    expect((await call('GET', '/api/v1/guardrails/freezes', undefined, reader)).body.data.freezes).toEqual(
      [],
    );
    expect((await call('GET', '/api/v1/guardrails/policies', undefined, reader)).body.data.policies).toEqual(
      [],
    );
  });

  it('records a deploy during a freeze as a violation, notifies once, and answers check from the same rules', async () => {
    const channel = await call('POST', '/api/v1/channels', {
      type: 'webhook',
      name: 'Hook',
      config: { url: receiver.url, secret: 'hook-secret-1234' },
    });
    expect(channel.status).toBe(201);
    channelId = channel.body.data.id;
    const now = Date.now();
    const created = await call('POST', '/api/v1/guardrails/freezes', {
      name: 'Holiday Freeze',
      startsAt: iso(now - HOUR),
      endsAt: iso(now + HOUR),
      subjects: ['production'],
      notificationChannels: [channel.body.data.id],
    });
    expect(created.status).toBe(201);
    const freeze = created.body.data;
    expect(freeze).toMatchObject({
      state: 'active',
      subjects: ['production'],
      enabled: true,
      recurrence: null,
    });

    const accepted = await send([
      {
        specversion: '1.0',
        type: 'deployment',
        source: 'BE',
        subject: 'PRODUCTION',
        time: 'NOW',
        id: 'd1',
        version: 'v1',
      },
      { specversion: '1.0', type: 'deployment', source: 'BE', subject: 'STAGING', time: 'NOW', id: 'd2' },
      {
        specversion: '1.0',
        type: 'config-change',
        source: 'BE',
        subject: 'PRODUCTION',
        time: 'NOW',
        id: 'c1',
      },
      { specversion: '1.0', type: 'deployment', source: 'FE', subject: 'PRODUCTION', time: 'NOW', id: 'd3' },
    ]);
    expect(accepted.body.data.accepted).toHaveLength(4);

    const found = await eventually(violations, (d) => d.violations.length >= 2, 'two violations');
    await new Promise((r) => setTimeout(r, 300));
    const { violations: list, nextCursor } = await violations();
    expect(nextCursor).toBeNull();
    expect(list.map((v: Json) => v.event.id).sort()).toEqual(['d1', 'd3']);
    expect(found.violations[0]).toMatchObject({
      guardrailType: 'change-freeze',
      guardrailId: freeze.id,
      guardrailName: 'Holiday Freeze',
      ruleType: 'FREEZE',
    });
    const d1 = list.find((v: Json) => v.event.id === 'd1');
    expect(d1.event).toMatchObject({
      source: 'BE',
      type: 'deployment',
      subject: 'PRODUCTION',
      version: 'v1',
    });
    expect(d1.reason).toContain('deployment of BE to PRODUCTION at');
    expect(d1.reason).toContain('falls in the change freeze "Holiday Freeze"');

    // Only the first matching event notifies: one outbox row, one delivery at the receiver.
    const rows = (await server.store.outbox.list(server.defaultOrg.id)).filter((d) =>
      d.idempotencyKey.startsWith(`guardrail:${freeze.id}:`),
    );
    expect(rows).toHaveLength(1);
    await eventually(
      async () => receiver.processed.size,
      (n) => n === 1,
      'one webhook delivery',
    );
    const delivered = JSON.parse([...receiver.processed.values()][0]?.raw.toString() ?? '{}');
    expect(delivered).toMatchObject({
      type: 'guardrail.violation',
      guardrailType: 'change-freeze',
      guardrailName: 'Holiday Freeze',
      violation: { eventType: 'deployment', subject: 'PRODUCTION' },
    });

    const state = await call('GET', `/api/v1/guardrails/freezes/${freeze.id}`, undefined, reader);
    expect(state.body.data.state).toBe('violated');

    // check: the same rules, nothing stored.
    const policy = await call('POST', '/api/v1/guardrails/policies', {
      name: 'Two a day',
      ruleType: 'DAILY_CAP',
      config: { maxCount: 2, timezone: 'UTC' },
      subjects: ['PRODUCTION'],
    });
    expect(policy.status).toBe(201);
    expect(policy.body.data.summary).toBe('at most 2 deployments a day (UTC days)');
    const check = await call(
      'GET',
      '/api/v1/guardrails/check?source=BE&subject=PRODUCTION',
      undefined,
      reader,
    );
    expect(check.status).toBe(200);
    expect(check.body.data.allowed).toBe(false);
    expect(check.body.data.violations.map((v: Json) => [v.guardrailName, v.ruleType])).toEqual([
      ['Holiday Freeze', 'FREEZE'],
      ['Two a day', 'DAILY_CAP'],
    ]);
    expect(check.body.data.violations[1].reason).toContain('the cap is 2 a day');
    const staging = await call(
      'GET',
      '/api/v1/guardrails/check?source=BE&subject=STAGING',
      undefined,
      reader,
    );
    expect(staging.body.data).toEqual({ allowed: true, violations: [] });
    const later = await call(
      'GET',
      `/api/v1/guardrails/check?source=BE&subject=PRODUCTION&time=${encodeURIComponent(iso(now + 3 * HOUR))}`,
      undefined,
      reader,
    );
    expect(later.body.data.violations.map((v: Json) => v.ruleType)).not.toContain('FREEZE');
    expect((await violations()).violations).toHaveLength(2);
    expect(
      (await call('GET', '/api/v1/guardrails/check?subject=PRODUCTION', undefined, reader)).body.error,
    ).toContain('source: is required');

    // Editing a violated window resets it to its time-derived state.
    const edited = await call('PATCH', `/api/v1/guardrails/freezes/${freeze.id}`, {
      name: 'Holiday Freeze 2',
    });
    expect(edited.body.data).toMatchObject({
      name: 'Holiday Freeze 2',
      state: 'active',
      subjects: ['production'],
    });
    expect((await call('DELETE', `/api/v1/guardrails/policies/${policy.body.data.id}`)).status).toBe(200);
    expect((await call('GET', `/api/v1/guardrails/policies/${policy.body.data.id}`)).status).toBe(404);
  });

  it('records a violation by an event more than a day old when stored, and notifies nobody', async () => {
    const past = Date.now() - 3 * 24 * HOUR;
    const w = await call('POST', '/api/v1/guardrails/freezes', {
      name: 'Old freeze',
      startsAt: iso(past - HOUR),
      endsAt: iso(past + HOUR),
      sources: ['DB'],
    });
    const edit = await call('PATCH', `/api/v1/guardrails/freezes/${w.body.data.id}`, {
      notificationChannels: [channelId],
    });
    expect(edit.body.data.notificationChannels).toEqual([channelId]);
    await send([{ specversion: '1.0', type: 'deployment', source: 'DB', time: iso(past), id: 'old-1' }]);
    const found = await eventually(
      () => violations(`?eventIds=old-1`),
      (d) => d.violations.length === 1,
      'the old violation',
    );
    expect(found.violations[0].guardrailName).toBe('Old freeze');
    await new Promise((r) => setTimeout(r, 300));
    const rows = (await server.store.outbox.list(server.defaultOrg.id)).filter((d) =>
      d.idempotencyKey.startsWith(`guardrail:${w.body.data.id}:`),
    );
    expect(rows).toEqual([]);
    const ranged = await violations(`?from=${iso(past - HOUR)}&to=${iso(past + HOUR)}`);
    expect(ranged.violations.map((v: Json) => v.event.id)).toEqual(['old-1']);
  });

  it('pages violations with a cursor, newest event first', async () => {
    const first = await violations('?limit=1');
    expect(first.violations).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = await violations(`?limit=1000&cursor=${first.nextCursor}`);
    expect(rest.violations.map((v: Json) => v.id)).not.toContain(first.violations[0].id);
    expect(rest.violations.length).toBe(2);
    expect(
      (await call('GET', '/api/v1/guardrails/violations?limit=5000', undefined, reader)).body.error,
    ).toContain('limit:');
    expect(
      (await call('GET', '/api/v1/guardrails/violations?cursor=nope', undefined, reader)).body.error,
    ).toContain('cursor:');
  });

  it("applies the plan's limits of windows and policies", async () => {
    const org = await server.store.organizations.create(`limits-${engine}`, 'Limits', 'free');
    const key = await server.key('ADMIN', org.id);
    const body = { name: 'One', startsAt: iso(Date.now()), endsAt: iso(Date.now() + HOUR) };
    expect((await call('POST', '/api/v1/guardrails/freezes', body, key)).status).toBe(201);
    const second = await call('POST', '/api/v1/guardrails/freezes', body, key);
    expect(second.status).toBe(403);
    expect(second.body.error).toContain('the free plan allows 1');
    const p = { name: 'P', ruleType: 'COOLDOWN', config: { cooldownMinutes: 10 } };
    expect((await call('POST', '/api/v1/guardrails/policies', p, key)).status).toBe(201);
    expect((await call('POST', '/api/v1/guardrails/policies', p, key)).status).toBe(403);
    // One organization never sees another's.
    expect((await call('GET', '/api/v1/guardrails/freezes', undefined, key)).body.data.freezes).toHaveLength(
      1,
    );
    expect((await call('GET', '/api/v1/guardrails/violations', undefined, key)).body.data.violations).toEqual(
      [],
    );
  });

  it("refuses notification channels that are not the organization's, naming the field and the id", async () => {
    const other = await server.store.organizations.create(`channels-${engine}`, 'Other');
    const otherKey = await server.key('ADMIN', other.id);
    const theirs = await call(
      'POST',
      '/api/v1/channels',
      { type: 'webhook', name: 'Theirs', config: { url: receiver.url } },
      otherKey,
    );
    expect(theirs.status).toBe(201);
    const freeze = { name: 'Checked', startsAt: iso(Date.now()), endsAt: iso(Date.now() + HOUR) };
    const policy = { name: 'Checked', ruleType: 'COOLDOWN', config: { cooldownMinutes: 10 } };
    for (const [kind, body] of [
      ['freezes', freeze],
      ['policies', policy],
    ] as const) {
      for (const id of ['ch_does_not_exist', theirs.body.data.id]) {
        const res = await call('POST', `/api/v1/guardrails/${kind}`, { ...body, notificationChannels: [id] });
        expect(res.status).toBe(400);
        expect(res.body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
        expect(res.body.error).toContain(`notificationChannels: no channel "${id}" in this organization`);
      }
      const made = await call('POST', `/api/v1/guardrails/${kind}`, {
        ...body,
        notificationChannels: [channelId],
      });
      expect(made.status).toBe(201);
      const bad = await call('PATCH', `/api/v1/guardrails/${kind}/${made.body.data.id}`, {
        notificationChannels: [channelId, 'ch_nope'],
      });
      expect(bad.status).toBe(400);
      expect(bad.body.error).toContain('no channel "ch_nope"');
      const kept = await call('GET', `/api/v1/guardrails/${kind}/${made.body.data.id}`, undefined, reader);
      expect(kept.body.data.notificationChannels).toEqual([channelId]);
    }
    // Nothing was created by the refused requests.
    const names = async (kind: string) =>
      (await call('GET', `/api/v1/guardrails/${kind}`, undefined, reader)).body.data[kind].filter(
        (g: Json) => g.name === 'Checked',
      ).length;
    expect([await names('freezes'), await names('policies')]).toEqual([1, 1]);
  });
});
