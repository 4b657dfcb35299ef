/**
 * Receivers over real HTTP on both engines: each tool's payload (fixtures shaped as the tool's
 * docs show) signed the tool's way, bad signatures (401), payloads that are not the tool's (400),
 * repeated deliveries (nothing new), and the events each makes.
 */
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Loose = any;

const FIXTURES = join(import.meta.dirname, 'fixtures', 'receivers');
const fixture = (path: string) => readFileSync(join(FIXTURES, path), 'utf8');
const hmac = (secret: string, body: string, algorithm = 'sha256') =>
  createHmac(algorithm, secret).update(body).digest('hex');

/** The headers each tool sends with a delivery, made with the receiver's secret. */
const SIGN: Record<string, (secret: string, body: string) => Record<string, string>> = {
  github: (s, b) => ({ 'x-hub-signature-256': `sha256=${hmac(s, b)}` }),
  gitlab: (s) => ({ 'x-gitlab-token': s }),
  argocd: (s) => ({ authorization: `Bearer ${s}` }),
  flux: (s, b) => ({ 'x-signature': `sha256=${hmac(s, b)}` }),
  launchdarkly: (s, b) => ({ 'x-ld-signature': hmac(s, b) }),
  unleash: (s) => ({ authorization: s }),
  flagsmith: (s, b) => ({ 'x-flagsmith-signature': hmac(s, b) }),
  posthog: (s) => ({ authorization: `Bearer ${s}` }),
  pagerduty: (s, b) => ({
    'x-pagerduty-signature': `v1=${hmac('old-secret-0123456789', b)},v1=${hmac(s, b)}`,
  }),
  opsgenie: (s) => ({ authorization: `Bearer ${s}` }),
};

describe.each(ENGINES)('receivers on %s', (engine) => {
  let server: TestServer;
  let admin: string;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    server = await startTestServer(engine, { OPSTRAILS_PUBLIC_URL: 'https://opstrails.example.com' });
    admin = await server.key('ADMIN');
    writer = await server.key('READ_WRITE');
    reader = await server.key('READ_ONLY');
  });
  afterAll(() => server.close());

  const create = async (body: Record<string, unknown>, key = admin) => {
    const res = await server.api('/api/v1/receivers', { method: 'POST', key, body: JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Loose };
  };
  const made = async (kind: string, extra: Record<string, unknown> = {}) => {
    const res = await create({ kind, name: `${kind} receiver`, ...extra });
    expect(res.status).toBe(201);
    return res.body.data as { id: string; url: string; secret: string; kind: string };
  };
  const deliver = async (
    receiver: { id: string; kind: string; secret: string },
    body: string,
    headers: Record<string, string> = {},
    sign = true,
  ) => {
    const res = await fetch(`${server.url}/api/v1/receivers/${receiver.kind}/${receiver.id}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(sign ? SIGN[receiver.kind]?.(receiver.secret, body) : {}),
        ...headers,
      },
      body,
    });
    return { status: res.status, body: (await res.json()) as Loose };
  };
  const stored = async (id: string) => {
    const res = await server.api(`/api/v1/events?limit=1000`, { key: reader });
    const events = ((await res.json()) as Loose).data.events as Loose[];
    return events.filter((e) => e.id === id);
  };
  const count = async () => {
    const res = await server.api('/api/v1/events?limit=1000', { key: reader });
    return ((await res.json()) as Loose).data.events.length as number;
  };

  it('creates, lists without secrets, rotates and deletes; only configuration access may', async () => {
    const res = await create({ kind: 'github', name: 'GitHub deploys', subject: 'production' });
    expect(res.status).toBe(201);
    const r = res.body.data;
    expect(r.url).toBe(`https://opstrails.example.com/api/v1/receivers/github/${r.id}`);
    expect(r.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const list = (await (await server.api('/api/v1/receivers', { key: reader })).json()) as Loose;
    const listed = list.data.receivers.find((x: Loose) => x.id === r.id);
    expect(listed).toMatchObject({
      kind: 'github',
      name: 'GitHub deploys',
      subject: 'production',
      url: r.url,
    });
    expect(JSON.stringify(list)).not.toContain(r.secret);

    expect((await create({ kind: 'github', name: 'x' }, writer)).status).toBe(403);
    expect((await create({ kind: 'jenkins', name: 'x' })).body.error).toMatch(
      /^kind: must be one of github, gitlab/,
    );
    expect((await create({ kind: 'github' })).body.error).toMatch(/^name: is required/);
    expect((await create({ kind: 'github', name: 'x', subject: 's'.repeat(51) })).body.error).toMatch(
      /^subject: /,
    );
    expect((await create({ kind: 'github', name: 'x', colour: 1 })).body.error).toMatch(
      /^colour: is not a receiver field/,
    );

    const body = fixture('github/release-published.json');
    const headers = { 'x-github-event': 'release', 'x-github-delivery': 'rotate-1' };
    const rotated = (await (
      await server.api(`/api/v1/receivers/${r.id}/rotate`, { method: 'POST', key: admin, body: '{}' })
    ).json()) as Loose;
    expect(rotated.data.secret).not.toBe(r.secret);
    expect((await deliver(r, body, headers)).status).toBe(401);
    expect((await deliver({ ...r, secret: rotated.data.secret }, body, headers)).status).toBe(202);

    const del = await server.api(`/api/v1/receivers/${r.id}`, { method: 'DELETE', key: admin });
    expect(del.status).toBe(200);
    expect(
      (
        await deliver({ ...r, secret: rotated.data.secret }, body, {
          ...headers,
          'x-github-delivery': 'rotate-2',
        })
      ).status,
    ).toBe(404);
    expect((await server.api(`/api/v1/receivers/${r.id}`, { method: 'DELETE', key: admin })).status).toBe(
      404,
    );
  });

  it('GitHub deployment_status: signature checked, event made, a redelivery stores nothing new', async () => {
    const r = await made('github');
    const body = fixture('github/deployment_status.json');
    const headers = {
      'x-github-event': 'deployment_status',
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    };
    const bad = await deliver({ ...r, secret: 'not-the-secret' }, body, headers);
    expect(bad.status).toBe(401);
    expect(bad.body.error).toMatch(/X-Hub-Signature-256/);
    expect((await deliver(r, body, headers, false)).status).toBe(401);
    const before = await count();
    const good = await deliver(r, body, headers);
    expect(good.status).toBe(202);
    expect(good.body.data).toMatchObject({
      created: 1,
      eventIds: ['github:72d3162e-cc78-11e3-81ab-4c9367dc0958'],
    });
    const [event] = await stored(good.body.data.eventIds[0]);
    expect(event).toMatchObject({
      type: 'deployment-status',
      source: 'Codertocat/Hello-World',
      subject: 'production',
      version: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      time: '2019-05-15T15:20:55.000Z',
    });
    expect(event.data).toMatchObject({
      status: 'success',
      ref: 'master',
      author: 'Codertocat',
      receiver: 'github',
    });
    expect(event.data.raw.deployment_status.state).toBe('success');
    const again = await deliver(r, body, headers);
    expect(again.status).toBe(202);
    expect(again.body.data).toMatchObject({ created: 0, eventIds: good.body.data.eventIds });
    expect(await count()).toBe(before + 1);
  });

  it('GitHub release published and a deploy workflow_run; other workflows and events are acknowledged, not stored', async () => {
    const r = await made('github');
    const release = await deliver(r, fixture('github/release-published.json'), {
      'x-github-event': 'release',
      'x-github-delivery': 'rel-1',
    });
    expect(release.status).toBe(202);
    const [rel] = await stored(release.body.data.eventIds[0]);
    expect(rel).toMatchObject({ type: 'release', source: 'Codertocat/Hello-World', version: '0.0.1' });
    expect(rel.data.status).toBe('published');

    const run = JSON.parse(fixture('github/workflow_run-completed.json'));
    const test = await deliver(r, JSON.stringify(run), {
      'x-github-event': 'workflow_run',
      'x-github-delivery': 'wr-1',
    });
    expect(test.status).toBe(202);
    expect(test.body.data).toMatchObject({ eventIds: [], created: 0 });
    expect(test.body.data.ignored).toMatch(/deploy/);
    run.workflow_run.name = 'Deploy to production';
    run.workflow_run.conclusion = 'failure';
    const deploy = await deliver(r, JSON.stringify(run), {
      'x-github-event': 'workflow_run',
      'x-github-delivery': 'wr-2',
    });
    const [d] = await stored(deploy.body.data.eventIds[0]);
    expect(d).toMatchObject({ type: 'deployment', severity: 'MAJOR', version: run.workflow_run.head_sha });
    expect(d.data).toMatchObject({
      status: 'failed',
      conclusion: 'failure',
      workflow: 'Deploy to production',
    });

    const ping = await deliver(r, '{"zen":"Keep it logically awesome.","hook_id":1}', {
      'x-github-event': 'ping',
      'x-github-delivery': 'ping-1',
    });
    expect(ping.status).toBe(202);
    expect(ping.body.data.eventIds).toEqual([]);
  });

  it("a payload that is not the tool's is a 400 saying so; nothing stored", async () => {
    const r = await made('github');
    const before = await count();
    const wrong = await deliver(r, fixture('gitlab/deployment.json'), {
      'x-github-event': 'deployment_status',
      'x-github-delivery': 'x-1',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.error).toMatch(/not a GitHub deployment_status event: "deployment_status" is missing/);
    const notJson = await deliver(r, 'payload=%7B%7D', {
      'x-github-event': 'release',
      'x-github-delivery': 'x-2',
    });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatch(/application\/json/);
    const pd = await made('pagerduty');
    const gl = await deliver(pd, fixture('gitlab/release.json'));
    expect(gl.status).toBe(400);
    expect(gl.body.error).toMatch(/not a PagerDuty v3 webhook/);
    expect(await count()).toBe(before);
    const mismatch = await fetch(`${server.url}/api/v1/receivers/gitlab/${r.id}`, {
      method: 'POST',
      body: '{}',
    });
    expect(mismatch.status).toBe(404);
  });

  it('GitLab deployment and release events with X-Gitlab-Token', async () => {
    const r = await made('gitlab');
    expect((await deliver({ ...r, secret: 'wrong-token' }, fixture('gitlab/deployment.json'))).status).toBe(
      401,
    );
    const dep = await deliver(r, fixture('gitlab/deployment.json'), { 'x-gitlab-event-uuid': 'gl-1' });
    expect(dep.status).toBe(202);
    const [d] = await stored(dep.body.data.eventIds[0]);
    expect(d).toMatchObject({
      type: 'deployment',
      source: 'root/test-deployment-webhooks',
      subject: 'staging',
      version: '279484c09fbe69ededfced8c1bb6e6d24616b468',
      time: '2021-04-28T19:50:00.000Z',
    });
    expect(d.data).toMatchObject({ status: 'success', author: 'root' });
    const rel = await deliver(r, fixture('gitlab/release.json'), { 'x-gitlab-event-uuid': 'gl-2' });
    const [e] = await stored(rel.body.data.eventIds[0]);
    expect(e).toMatchObject({
      type: 'release',
      version: 'v1.1',
      source: 'gitlab-org/release-webhook-example',
    });
  });

  it('Argo CD with the shipped template; an unknown template event is a 400', async () => {
    const r = await made('argocd');
    const body = fixture('argocd/app-synced.json');
    const res = await deliver(r, body);
    expect(res.status).toBe(202);
    const [e] = await stored(res.body.data.eventIds[0]);
    expect(e).toMatchObject({ type: 'deployment', source: 'checkout', subject: 'production' });
    expect(e.data.status).toBe('success');
    expect((await deliver(r, body)).body.data.created).toBe(0);
    const odd = await deliver(r, JSON.stringify({ ...JSON.parse(body), event: 'app-created' }));
    expect(odd.status).toBe(400);
    expect(odd.body.error).toMatch(/event: "app-created" is not one the OpsTrails Argo CD template sends/);
  });

  it('Flux generic-hmac: succeeded and failed reconciliations, a long revision shortened', async () => {
    const r = await made('flux');
    const ok = await deliver(r, fixture('flux/kustomization-succeeded.json'));
    expect(ok.status).toBe(202);
    const [k] = await stored(ok.body.data.eventIds[0]);
    expect(k).toMatchObject({
      type: 'deployment',
      source: 'kustomization/flux-system/apps',
      subject: 'flux-system',
      version: 'main@sha1:49d59ae3e5bd7d2a25d45e1d9a3a1a1c0a7c6fe2',
    });
    const failed = await deliver(r, fixture('flux/helmrelease-failed.json'));
    const [h] = await stored(failed.body.data.eventIds[0]);
    expect(h).toMatchObject({ type: 'deployment', severity: 'MAJOR' });
    // A chart version and digest past 50 characters, with no `sha…:` to shorten by: cut to the limit.
    expect(h.version).toBe('6.6.2+a5a7ba0a2c0dcd0f4c7d0bd1a7b1d0e1f2a3b4c5d6e7');
    expect(h.data).toMatchObject({ status: 'failed', reason: 'UpgradeFailed' });
    const tampered = fixture('flux/kustomization-succeeded.json').replace('info', 'error');
    const sig = { 'x-signature': `sha256=${hmac(r.secret, fixture('flux/kustomization-succeeded.json'))}` };
    expect((await deliver(r, tampered, sig, false)).status).toBe(401);
  });

  it('feature flags: LaunchDarkly, Unleash, Flagsmith, PostHog as feature-flag events', async () => {
    const ld = await made('launchdarkly');
    const flip = await deliver(ld, fixture('launchdarkly/flag-turned-on.json'));
    expect(flip.body.data.eventIds).toEqual(['launchdarkly:5defd5b2a7e5a108b1d8fb22']);
    const [f] = await stored(flip.body.data.eventIds[0]);
    expect(f).toMatchObject({ type: 'feature-flag', source: 'launchdarkly/default', subject: 'production' });
    expect(f.time).toBe(new Date(1575998898387).toISOString());
    expect(f.data).toMatchObject({
      flag: 'new-checkout',
      environment: 'production',
      previous: false,
      value: true,
      author: 'reese@example.com',
    });
    expect((await deliver(ld, fixture('launchdarkly/flag-turned-on.json'))).body.data.created).toBe(0);
    const env = await deliver(ld, fixture('launchdarkly/environment-renamed.json'));
    expect(env.body.data).toMatchObject({ eventIds: [] });
    expect((await deliver({ ...ld, secret: 'x' }, fixture('launchdarkly/flag-turned-on.json'))).status).toBe(
      401,
    );

    const un = await made('unleash');
    const enabled = await deliver(un, fixture('unleash/feature-environment-enabled.json'));
    const [u] = await stored(enabled.body.data.eventIds[0]);
    expect(u).toMatchObject({ type: 'feature-flag', source: 'unleash/web', subject: 'production' });
    expect(u.data).toMatchObject({
      flag: 'new-checkout',
      previous: false,
      value: true,
      author: 'alice@example.com',
    });
    expect((await deliver(un, fixture('unleash/project-created.json'))).body.data.eventIds).toEqual([]);
    expect(
      (
        await deliver(
          un,
          fixture('unleash/feature-environment-enabled.json'),
          { authorization: 'nope' },
          false,
        )
      ).status,
    ).toBe(401);

    const fs = await made('flagsmith');
    const updated = await deliver(fs, fixture('flagsmith/flag-updated.json'));
    const [s] = await stored(updated.body.data.eventIds[0]);
    expect(s).toMatchObject({ type: 'feature-flag', source: 'flagsmith/Shop', subject: 'Production' });
    expect(s.data).toMatchObject({
      flag: 'new_checkout',
      previous: { enabled: false, value: 'v1' },
      value: { enabled: true, value: 'v2' },
      author: 'Ben Rometsch',
    });

    const ph = await made('posthog', { subject: 'production' });
    const act = await deliver(ph, fixture('posthog/flag-activity.json'));
    const [p] = await stored(act.body.data.eventIds[0]);
    expect(p).toMatchObject({ type: 'feature-flag', source: 'posthog/Shop', subject: 'production' });
    expect(p.data).toMatchObject({ flag: 'new-checkout', field: 'active', previous: false, value: true });
  });

  it('PagerDuty v3 (its own secret) and Opsgenie: triggered and resolved linked by correlationid', async () => {
    const secret = 'pd-made-this-secret-0123456789abcdef';
    const pd = await made('pagerduty', { secret, subject: 'production' });
    expect(pd.secret).toBe(secret);
    const trig = await deliver(pd, fixture('pagerduty/incident-triggered.json'), { 'x-webhook-id': 'wh-1' });
    const res = await deliver(pd, fixture('pagerduty/incident-resolved.json'), { 'x-webhook-id': 'wh-2' });
    expect(
      (await deliver(pd, fixture('pagerduty/incident-resolved.json'), { 'x-webhook-id': 'wh-2' })).body.data
        .created,
    ).toBe(0);
    const [t] = await stored(trig.body.data.eventIds[0]);
    const [r] = await stored(res.body.data.eventIds[0]);
    expect(t).toMatchObject({
      type: 'incident',
      source: 'API Service',
      subject: 'production',
      severity: 'CRITICAL',
    });
    expect(t.data.status).toBe('triggered');
    expect(r.data.status).toBe('resolved');
    expect(t.correlationid).toBe('pagerduty:PGR0VU2');
    expect(r.correlationid).toBe(t.correlationid);
    const wrong = await deliver(pd, fixture('pagerduty/incident-triggered.json'), {
      'x-webhook-id': 'wh-3',
      'x-pagerduty-signature': `v1=${hmac('another-secret', fixture('pagerduty/incident-triggered.json'))}`,
    });
    expect(wrong.status).toBe(401);

    const og = await made('opsgenie', { subject: 'production' });
    const open = await deliver(og, fixture('opsgenie/create.json'));
    const close = await deliver(og, fixture('opsgenie/close.json'));
    const [o] = await stored(open.body.data.eventIds[0]);
    const [c] = await stored(close.body.data.eventIds[0]);
    expect(o).toMatchObject({
      type: 'incident',
      source: 'checkout-api',
      severity: 'MAJOR',
      time: '2020-03-06T08:42:00.523Z',
    });
    expect([o.data.status, c.data.status]).toEqual(['triggered', 'resolved']);
    expect(c.correlationid).toBe(o.correlationid);
    expect(c.time).toBe('2020-03-06T08:52:00.617Z');
  });

  it('counts against the plan: past the daily throttle a delivery is a 429 and stores nothing', async () => {
    const org = await server.store.organizations.create(`rcv-quota-${engine}`, 'Quota', 'free');
    const orgAdmin = await server.key('ADMIN', org.id);
    const orgWriter = await server.key('READ_WRITE', org.id);
    const batch = Array.from({ length: 100 }, (_, i) => ({
      specversion: '1.0',
      type: 't',
      source: 's',
      time: 'NOW',
      id: `q-${i}`,
    }));
    expect(
      (await server.api('/api/v1/events', { method: 'POST', key: orgWriter, body: JSON.stringify(batch) }))
        .status,
    ).toBe(200);
    const r = (await create({ kind: 'argocd', name: 'quota' }, orgAdmin)).body.data;
    const over = await deliver(r, fixture('argocd/app-synced.json'));
    expect(over.status).toBe(429);
    expect(over.body.code).toBe('QUOTA_EXCEEDED');
  });

  it('a secret saved under another OPSTRAILS_SECRET is a 401 saying to rotate', async () => {
    const r = await made('gitlab');
    await server.store.db
      .withTables<{ receivers: { id: string; secret: string } }>()
      .updateTable('receivers')
      .set({ secret: 'v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' })
      .where('id', '=', r.id)
      .execute();
    const res = await deliver(r, fixture('gitlab/release.json'));
    expect(res.status).toBe(401);
    expect(res.body.error).toMatch(/rotate it/);
  });

  it('a payload larger than the event limit keeps its useful parts and a trimmed raw', async () => {
    const r = await made('github');
    const run = JSON.parse(fixture('github/workflow_run-completed.json'));
    run.workflow_run.name = 'deploy';
    run.workflow_run.head_commit.message = 'x'.repeat(30_000);
    const res = await deliver(r, JSON.stringify(run), {
      'x-github-event': 'workflow_run',
      'x-github-delivery': 'big-1',
    });
    expect(res.status).toBe(202);
    const [e] = await stored(res.body.data.eventIds[0]);
    expect(e.data.status).toBe('success');
    expect(e.data.raw.action).toBe('completed');
    expect(Buffer.byteLength(JSON.stringify(e))).toBeLessThan(12_000);
  });
});
