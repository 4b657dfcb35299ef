/**
 * Channels delivering, end to end on both engines: events sent over HTTP are forwarded to every
 * channel type's local stand-in (each checks its service's paths, auth and body), the webhook's
 * receiver verifies the signature, mail arrives at a real SMTP server; a receiver that refuses
 * twice gets exactly one delivery; a guardrail violation's webhook body is exactly the
 * contract's; an incident's likely causes reach the triage channel once; the delivery log says
 * what happened.
 */
import { formatTime } from '@opstrails/core';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invite, setupOwner } from '../../../test-support/console-client.js';
import { startFakeDatadog } from '../../../test-support/fake-datadog.js';
import { startFakeGoogleChat } from '../../../test-support/fake-google-chat.js';
import { startFakeGrafana } from '../../../test-support/fake-grafana.js';
import { startFakeOpsgenie } from '../../../test-support/fake-opsgenie.js';
import { startFakePagerDuty } from '../../../test-support/fake-pagerduty.js';
import { startFakeSentry } from '../../../test-support/fake-sentry.js';
import { field } from '../../../test-support/fake-service.js';
import { startFakeSlack } from '../../../test-support/fake-slack.js';
import { startFakeSmtp } from '../../../test-support/fake-smtp.js';
import { startFakeTeams } from '../../../test-support/fake-teams.js';
import { startWebhookReceiver } from '../../../test-support/fake-webhook.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { queueNotification } from '../src/channels/notify.js';
import { ImpactVerdictRepository } from '../src/store/impact-verdicts.js';

/** An answer's JSON, loosely typed: the assertions say what it must hold. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever the answer holds
const json = async (res: Response): Promise<any> => res.json();

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(
  what: string,
  probe: () => T | Promise<T>,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const ROUTING_KEY = 'R0UT1NGKEY0123456789abcdefABCDEF';
const SECRET = 'whsec-0123456789-abcdef';

describe.each(ENGINES)('channels delivering on %s', (engine) => {
  let server: TestServer;
  let admin: string;
  let writer: string;
  const fakes = {} as {
    webhook: Awaited<ReturnType<typeof startWebhookReceiver>>;
    slack: Awaited<ReturnType<typeof startFakeSlack>>;
    pagerduty: Awaited<ReturnType<typeof startFakePagerDuty>>;
    opsgenie: Awaited<ReturnType<typeof startFakeOpsgenie>>;
    chat: Awaited<ReturnType<typeof startFakeGoogleChat>>;
    teams: Awaited<ReturnType<typeof startFakeTeams>>;
    grafana: Awaited<ReturnType<typeof startFakeGrafana>>;
    datadog: Awaited<ReturnType<typeof startFakeDatadog>>;
    sentry: Awaited<ReturnType<typeof startFakeSentry>>;
    smtp: Awaited<ReturnType<typeof startFakeSmtp>>;
  };
  const ids: Record<string, string> = {};

  const post = (path: string, body: unknown, key = admin) =>
    server.api(path, { method: 'POST', key, body: JSON.stringify(body) });
  const deliveries = async (channel: string) =>
    (await json(await server.api(`/api/v1/channels/${ids[channel]}/deliveries`, { key: admin }))).data
      .deliveries as {
      kind: string;
      status: string;
      attempts: number;
      lastError: string | null;
      deliveredAt: string | null;
    }[];

  beforeAll(async () => {
    fakes.webhook = await startWebhookReceiver(SECRET);
    fakes.slack = await startFakeSlack();
    fakes.pagerduty = await startFakePagerDuty(ROUTING_KEY);
    fakes.opsgenie = await startFakeOpsgenie('genie-key-123');
    fakes.chat = await startFakeGoogleChat();
    fakes.teams = await startFakeTeams();
    fakes.grafana = await startFakeGrafana('glsa_token_abc');
    fakes.datadog = await startFakeDatadog('dd-key-123');
    fakes.sentry = await startFakeSentry('sntrys_token', 'acme', ['v2.4.1']);
    fakes.smtp = await startFakeSmtp();
    server = await startTestServer(
      engine,
      {
        OPSTRAILS_ALLOW_PRIVATE_TARGETS: '127.0.0.1',
        OPSTRAILS_SMTP_URL: fakes.smtp.url,
        OPSTRAILS_SMTP_FROM: 'OpsTrails <ops@example.com>',
        OPSTRAILS_PUBLIC_URL: 'https://ops.example.com',
      },
      {
        consumerOptions: { pollMs: 200 },
        outboxOptions: { pollMs: 200, backoff: { baseMs: 100, maxMs: 400 } },
      },
    );
    admin = await server.key('ADMIN');
    writer = await server.key('READ_WRITE');
    const channels: [string, string, Record<string, unknown>][] = [
      ['webhook', 'webhook', { url: fakes.webhook.url, secret: SECRET }],
      ['slack', 'slack', { webhookUrl: fakes.slack.webhookUrl }],
      ['pagerduty', 'pagerduty', { routingKey: ROUTING_KEY, apiBaseUrl: fakes.pagerduty.base }],
      ['opsgenie', 'opsgenie', { apiKey: 'genie-key-123', region: 'eu', apiBaseUrl: fakes.opsgenie.base }],
      ['chat', 'google-chat', { webhookUrl: fakes.chat.webhookUrl }],
      ['teams', 'teams', { webhookUrl: fakes.teams.webhookUrl }],
      ['grafana', 'grafana', { url: fakes.grafana.base, apiToken: 'glsa_token_abc', tags: ['prod'] }],
      ['datadog', 'datadog', { site: 'datadoghq.eu', apiKey: 'dd-key-123', apiBaseUrl: fakes.datadog.base }],
      ['sentry', 'sentry', { url: fakes.sentry.base, authToken: 'sntrys_token', organization: 'acme' }],
      ['email', 'email', { recipients: ['oncall@example.com'] }],
    ];
    for (const [name, type, config] of channels) {
      const res = await post('/api/v1/channels', { type, name, config });
      expect(res.status, name).toBe(201);
      ids[name] = (await json(res)).data.id;
    }
  });
  afterAll(async () => {
    await server.close();
    for (const fake of Object.values(fakes)) await fake.close();
  });

  it('forwards a production deploy to every channel type, each in its service’s shape', async () => {
    for (const name of Object.keys(ids)) {
      const res = await post('/api/v1/forwarding', {
        name: `to ${name}`,
        channelId: ids[name],
        types: ['deployment'],
        subjects: ['production'],
      });
      expect(res.status).toBe(201);
    }
    const event = {
      specversion: '1.0',
      type: 'deployment',
      source: '//github.com/acme/api',
      subject: 'PRODUCTION',
      version: 'v2.4.1',
      time: 'NOW',
      data: { description: 'Release 2.4.1: faster checkout' },
    };
    expect((await post('/api/v1/events', event, writer)).status).toBe(201);
    // A staging deploy matches no rule: forwarded nowhere.
    expect((await post('/api/v1/events', { ...event, subject: 'STAGING' }, writer)).status).toBe(201);

    await waitFor('every channel to deliver', async () =>
      (await Promise.all(Object.keys(ids).map(deliveries))).every(
        (d) => d.length === 1 && d[0]?.status === 'delivered',
      ),
    );

    const hook = fakes.webhook.accepted;
    expect(hook).toHaveLength(1);
    expect(field(hook[0]?.json, 'type')).toBe('event.forwarded');
    expect(field(hook[0]?.json, 'event', 'subject')).toBe('PRODUCTION');
    expect(field(hook[0]?.json, 'event', 'link')).toMatch(/^https:\/\/ops\.example\.com\/\?source=/);

    expect(fakes.slack.accepted).toHaveLength(1);
    expect(String(field(fakes.slack.accepted[0]?.json, 'text'))).toContain(
      'deployment of //github.com/acme/api v2.4.1 to PRODUCTION',
    );

    const pd = fakes.pagerduty.accepted;
    expect(pd.map((r) => r.path)).toEqual(['/v2/change/enqueue']);
    expect(field(pd[0]?.json, 'payload', 'source')).toBe('//github.com/acme/api');

    expect(field(fakes.opsgenie.accepted[0]?.json, 'priority')).toBe('P3');
    expect(fakes.chat.accepted).toHaveLength(1);
    expect(fakes.teams.accepted).toHaveLength(1);

    const annotation = fakes.grafana.accepted[0]?.json;
    expect(field(annotation, 'tags')).toEqual(
      expect.arrayContaining(['opstrails', 'deployment', 'PRODUCTION', 'v2.4.1', 'prod']),
    );
    expect(field(fakes.datadog.accepted[0]?.json, 'data', 'attributes', 'category')).toBe('change');
    expect(fakes.sentry.accepted.map((r) => r.path)).toEqual([
      '/api/0/organizations/acme/releases/v2.4.1/deploys/',
    ]);
    expect(field(fakes.sentry.accepted[0]?.json, 'environment')).toBe('PRODUCTION');

    const mail = await waitFor('the mail', () => fakes.smtp.mails[0]);
    expect(mail.to).toEqual(['oncall@example.com']);
    expect(mail.from).toBe('ops@example.com');
    expect(mail.raw).toContain('Subject: [OpsTrails] deployment of //github.com/acme/api v2.4.1 to');
    expect(mail.raw).toContain('text/html');
    expect(fakes.smtp.mails).toHaveLength(1);
  });

  it('delivers exactly once to a receiver that fails twice first (429 with Retry-After, then 500)', async () => {
    fakes.slack.failNext(1, fakes.slack.rateLimited);
    fakes.slack.failNext(1, { status: 500, body: 'internal_error' });
    const before = fakes.slack.accepted.length;
    const logged = (await deliveries('slack')).length;
    const event = {
      specversion: '1.0',
      type: 'deployment',
      source: 'BE',
      subject: 'PRODUCTION',
      version: '7',
      time: 'NOW',
    };
    expect((await post('/api/v1/events', event, writer)).status).toBe(201);
    await waitFor('the slack delivery', async () => {
      const log = await deliveries('slack');
      return log.length === logged + 1 && log[0]?.status === 'delivered';
    });
    const log = await deliveries('slack');
    expect(log[0]).toMatchObject({
      kind: 'event.forwarded',
      status: 'delivered',
      attempts: 3,
      lastError: null,
    });
    await sleep(600);
    expect(fakes.slack.accepted.length - before).toBe(1);
    expect(fakes.slack.all.filter((r) => String(field(r.json, 'text')).includes('BE 7')).length).toBe(3);
  });

  it('sends a guardrail violation to a webhook as exactly the contract’s body, signed', async () => {
    await server.store.db.transaction().execute((trx) =>
      queueNotification(trx, {
        orgId: server.defaultOrg.id,
        channelIds: [ids.webhook as string, ids.grafana as string],
        key: 'test-violation-1',
        notification: {
          kind: 'guardrail.violation',
          title: 'Change freeze broken: Holiday Freeze',
          text: 'deployment during the freeze',
          organization: { id: 'org_abc123', name: 'Acme Corp' },
          timestamp: '2026-12-25T14:30:05Z',
          event: {
            id: 'e1',
            type: 'deployment',
            source: '//github.com/acme/api',
            subject: 'production',
            version: 'v2.4.1',
            severity: null,
            time: '2026-12-25T14:30:00Z',
            description: null,
            link: 'https://ops.example.com/',
          },
          guardrail: {
            guardrailType: 'change-freeze',
            guardrailId: 'g1',
            guardrailName: 'Holiday Freeze',
            ruleType: 'FREEZE',
            reason: 'in the freeze',
          },
          link: 'https://ops.example.com/',
        },
      }),
    );
    server.reactions.outbox.wake();
    const got = await waitFor('the violation', () =>
      fakes.webhook.accepted.find((r) => field(r.json, 'type') === 'guardrail.violation'),
    );
    expect(JSON.parse(got.raw)).toEqual({
      type: 'guardrail.violation',
      guardrailType: 'change-freeze',
      guardrailName: 'Holiday Freeze',
      violation: {
        eventType: 'deployment',
        source: '//github.com/acme/api',
        subject: 'production',
        version: 'v2.4.1',
        timestamp: '2026-12-25T14:30:00Z',
      },
      organization: { id: 'org_abc123', name: 'Acme Corp' },
      timestamp: '2026-12-25T14:30:05Z',
    });
    expect(got.headers['x-opstrails-delivery']).toMatch(/^\d+$/);
    // Grafana only hears forwarded events: nothing was queued for it.
    expect((await deliveries('grafana')).some((d) => d.kind === 'guardrail.violation')).toBe(false);
  });

  it('posts an incident’s likely causes to the triage channel once, with links', async () => {
    const res = await server.api('/api/v1/notifications/settings', {
      method: 'PUT',
      key: admin,
      body: JSON.stringify({ triageChannels: [ids.webhook, ids.pagerduty] }),
    });
    expect(res.status).toBe(200);
    const t = Date.now();
    const at = (minutesAgo: number) => formatTime(t - minutesAgo * 60_000);
    const send = (e: Record<string, unknown>) => post('/api/v1/events', { specversion: '1.0', ...e }, writer);
    // A freeze the deploy breaks: triage names it beside the deploy.
    const freeze = await post('/api/v1/guardrails/freezes', {
      name: 'Payments freeze',
      startsAt: at(60),
      endsAt: formatTime(t + 3_600_000),
      sources: ['PAYMENTS'],
    });
    expect(freeze.status).toBe(201);
    await send({ type: 'config-change', source: 'FE', subject: 'STAGING', time: at(50) });
    await send({
      type: 'deployment',
      source: 'PAYMENTS',
      subject: 'PRODUCTION',
      version: 'v9',
      severity: 'MAJOR',
      time: at(10),
      id: 'pay-v9',
    });
    await waitFor('the freeze violation', async () => {
      const v = await json(await server.api('/api/v1/guardrails/violations', { key: admin }));
      return v.data.violations.length > 0;
    });
    // Its impact already judged (as the impact job records a verdict): triage says so.
    const verdicts = new ImpactVerdictRepository(server.store.db);
    await verdicts.addPending(
      [
        {
          orgId: server.defaultOrg.id,
          eventId: 'pay-v9',
          eventSource: 'PAYMENTS',
          eventTime: t - 600_000,
          subject: 'PRODUCTION',
          window: '2h',
          dueAt: t,
        },
      ],
      t,
    );
    const pending = await verdicts.forEvent(server.defaultOrg.id, 'PAYMENTS', 'pay-v9');
    await verdicts.record(pending?.id as string, 'regressed', 'error_rate 0.12% -> 2.41%', {}, t);
    const incident = await send({
      type: 'incident',
      source: 'PAYMENTS',
      subject: 'PRODUCTION',
      severity: 'CRITICAL',
      time: at(0),
      id: `inc-${engine}`,
    });
    expect(incident.status).toBe(201);
    const triage = await waitFor('the triage message', () =>
      fakes.webhook.accepted.find((r) => field(r.json, 'type') === 'incident.triage'),
    );
    const causes = field(triage.json, 'causes') as {
      event: { source: string; link: string };
      reasons: string[];
      brokeGuardrails: string[];
      impact: unknown;
    }[];
    expect(causes[0]?.brokeGuardrails).toEqual([
      expect.stringMatching(/^Payments freeze \(change freeze\): /),
    ]);
    expect(causes[1]?.brokeGuardrails).toEqual([]);
    expect(causes[0]?.impact).toEqual({ verdict: 'regressed', summary: 'error_rate 0.12% -> 2.41%' });
    expect(causes[1]?.impact).toBeNull();
    expect(causes[0]?.event.source).toBe('PAYMENTS');
    expect(causes[0]?.reasons.join(' ')).toContain('same subject');
    expect(causes[0]?.event.link).toMatch(/^https:\/\/ops\.example\.com\/\?/);
    expect(String(field(triage.json, 'text'))).toContain('deployment of PAYMENTS v9 to PRODUCTION');
    const page = await waitFor('the PagerDuty trigger', () =>
      fakes.pagerduty.accepted.find((r) => r.path === '/v2/enqueue'),
    );
    expect(field(page.json, 'payload', 'severity')).toBe('critical');
    expect(field(page.json, 'event_action')).toBe('trigger');

    // The same incident sent again (a retry) and a later event change nothing.
    await send({
      type: 'incident',
      source: 'PAYMENTS',
      subject: 'PRODUCTION',
      severity: 'CRITICAL',
      time: at(0),
      id: `inc-${engine}`,
    });
    await send({
      type: 'deployment',
      source: 'PAYMENTS',
      subject: 'PRODUCTION',
      version: 'v10',
      time: 'NOW',
    });
    await sleep(1_000);
    expect(fakes.webhook.accepted.filter((r) => field(r.json, 'type') === 'incident.triage')).toHaveLength(1);
  });

  it('warns owners and admins once at 80% of the monthly quota, through the email channel', async () => {
    const org = await server.store.organizations.create(`quota-${engine}`, 'Quota Co', 'free');
    const orgAdmin = await server.key('ADMIN', org.id);
    const orgWriter = await server.key('READ_WRITE', org.id);
    const mail = await post(
      '/api/v1/channels',
      { type: 'email', name: 'Mail', config: { recipients: ['owner@quota.example'] } },
      orgAdmin,
    );
    expect(mail.status).toBe(201);
    const event = { specversion: '1.0', type: 'deployment', source: 'Q', time: 'NOW' };
    expect((await post('/api/v1/events', event, orgWriter)).status).toBe(201);
    await sleep(500);
    expect(fakes.smtp.mails.filter((m) => m.to.includes('owner@quota.example'))).toHaveLength(0);
    // 1,000 a month on the free plan: 798 more, then the 800th event crosses the mark.
    // (The month's counter alone: the free plan's daily throttle, 100, would refuse the rest.)
    const month = new Date().toISOString().slice(0, 7);
    await sql`update usage set count = count + 798 where org_id = ${org.id} and metric = 'events' and period = ${month}`.execute(
      server.store.db,
    );
    expect((await post('/api/v1/events', event, orgWriter)).status).toBe(201);
    expect((await post('/api/v1/events', event, orgWriter)).status).toBe(201);
    const warning = await waitFor('the quota mail', () =>
      fakes.smtp.mails.find((m) => m.to.includes('owner@quota.example')),
    );
    expect(warning.raw).toMatch(/Subject: \[OpsTrails\] Quota Co has used 80% of this month's events/);
    expect((await post('/api/v1/events', event, orgWriter)).status).toBe(201);
    await sleep(800);
    expect(fakes.smtp.mails.filter((m) => m.to.includes('owner@quota.example'))).toHaveLength(1);
  });

  it('mails the owners and admins when an email channel lists no recipients, and uses the session as configuration access', async () => {
    const owner = await setupOwner(server);
    await invite(server, owner, 'ADMIN', 'admin@example.com');
    await invite(server, owner, 'MEMBER', 'member@example.com');
    const created = await owner.call('/api/v1/channels', {
      method: 'POST',
      body: { type: 'email', name: 'Owners and admins', config: {} },
    });
    expect(created.status).toBe(201);
    const id = (await json(created)).data.id;
    const sent = await json(await owner.call(`/api/v1/channels/${id}/test`, { method: 'POST', body: {} }));
    expect(sent.data.delivered).toBe(true);
    const mail = fakes.smtp.mails.at(-1);
    expect(mail?.to.sort()).toEqual(['admin@example.com', 'owner@example.com']);
    expect(mail?.raw).toContain('Test message for "Owners and admins"');
  });

  it('test-sends through the same path and says what the service answered', async () => {
    const ok = await json(await post(`/api/v1/channels/${ids.slack}/test`, {}));
    expect(ok.data).toMatchObject({ delivered: true, status: 200, message: '200 ok' });
    const sentry = await json(await post(`/api/v1/channels/${ids.sentry}/test`, {}));
    expect(sentry.data).toMatchObject({ delivered: true, status: 200 });
    expect((await post(`/api/v1/channels/${ids.slack}/test`, {}, writer)).status).toBe(403);
    // A wrong key: not delivered, and the service's own words come back.
    const wrong = await json(
      await post('/api/v1/channels', {
        type: 'opsgenie',
        name: 'Wrong key',
        config: { apiKey: 'not-the-key', apiBaseUrl: fakes.opsgenie.base },
      }),
    );
    const refused = await json(await post(`/api/v1/channels/${wrong.data.id}/test`, {}));
    expect(refused.data).toMatchObject({ delivered: false, status: 401 });
    expect(refused.data.message).toContain('Key format is not valid!');
  });
});
