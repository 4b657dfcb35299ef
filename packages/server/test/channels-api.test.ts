/**
 * The channels, forwarding and notification-settings API on both engines: configuration writes
 * need an ADMIN key (READ_WRITE refused with 403 naming the scope), secrets are answered masked
 * and kept when sent back masked, stored sealed (not in the database in clear), bad input is a
 * 400 naming the field, the plan's channel limit applies, one organization never sees another's.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';

/** An answer's JSON, loosely typed: the assertions say what it must hold. */
// biome-ignore lint/suspicious/noExplicitAny: assertions read whatever the answer holds
const json = async (res: Response): Promise<any> => res.json();

describe.each(ENGINES)('channels API on %s', (engine) => {
  let server: TestServer;
  let admin: string;
  let writer: string;
  let reader: string;

  beforeAll(async () => {
    server = await startTestServer(engine, { OPSTRAILS_SMTP_URL: 'smtp://127.0.0.1:2525' });
    admin = await server.key('ADMIN');
    writer = await server.key('READ_WRITE');
    reader = await server.key('READ_ONLY');
  });
  afterAll(() => server.close());

  const post = (path: string, body: unknown, key = admin) =>
    server.api(path, { method: 'POST', key, body: JSON.stringify(body) });
  const patch = (path: string, body: unknown, key = admin) =>
    server.api(path, { method: 'PATCH', key, body: JSON.stringify(body) });

  it('creates a webhook channel, answers its secret masked and stores it sealed', async () => {
    const res = await post('/api/v1/channels', {
      type: 'webhook',
      name: 'Deploy hook',
      config: { url: 'https://hooks.example.com/x', secret: 'super-secret-value-1234' },
    });
    expect(res.status).toBe(201);
    const { data } = await json(res);
    expect(data).toMatchObject({ type: 'webhook', name: 'Deploy hook', enabled: true });
    expect(data.config).toEqual({ url: 'https://hooks.example.com/x', secret: '••••1234' });
    const { rows } = await sql<{
      config: string;
      secrets: string;
    }>`select config, secrets from channels where id = ${data.id}`.execute(server.store.db);
    expect(rows[0]?.config).not.toContain('super-secret');
    expect(rows[0]?.secrets).not.toContain('super-secret');
    expect(rows[0]?.secrets.startsWith('v1:')).toBe(true);

    // Sent back masked with another change: the secret is kept.
    const renamed = await patch(`/api/v1/channels/${data.id}`, {
      name: 'Renamed',
      config: { url: 'https://hooks.example.com/y', secret: '••••1234' },
    });
    expect(renamed.status).toBe(200);
    expect((await json(renamed)).data.config).toEqual({
      url: 'https://hooks.example.com/y',
      secret: '••••1234',
    });
    const disabled = await patch(`/api/v1/channels/${data.id}`, { enabled: false });
    expect((await json(disabled)).data.enabled).toBe(false);
    const listed = await json(await server.api('/api/v1/channels', { key: reader }));
    expect(listed.data.channels.map((c: { id: string }) => c.id)).toContain(data.id);
  });

  it('asks for a secret again when the stored one cannot be opened (OPSTRAILS_SECRET changed)', async () => {
    const created = await json(
      await post('/api/v1/channels', {
        type: 'slack',
        name: 'Old key',
        config: { webhookUrl: 'https://hooks.slack.com/services/T/B/old-secret-1' },
      }),
    );
    // As if sealed under another key: the stored value no longer opens.
    await sql`update channels set secrets = ${'v1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'} where id = ${created.data.id}`.execute(
      server.store.db,
    );
    const shown = await json(await server.api(`/api/v1/channels/${created.data.id}`, { key: admin }));
    expect(shown.data.config.webhookUrl).toBe('••••');
    const rename = await patch(`/api/v1/channels/${created.data.id}`, { config: { webhookUrl: '••••' } });
    expect(rename.status).toBe(400);
    expect((await json(rename)).error).toContain('config.webhookUrl: is required');
    const tested = await json(await post(`/api/v1/channels/${created.data.id}/test`, {}));
    expect(tested.data.delivered).toBe(false);
    expect(tested.data.message).toContain('enter the secret again');
    const fixed = await patch(`/api/v1/channels/${created.data.id}`, {
      config: { webhookUrl: 'https://hooks.slack.com/services/T/B/new-secret-2' },
    });
    expect(fixed.status).toBe(200);
    expect((await json(fixed)).data.config.webhookUrl).toBe('••••et-2');
  });

  it('refuses READ_WRITE and READ_ONLY keys on configuration writes, naming ADMIN', async () => {
    for (const key of [writer, reader]) {
      const res = await post(
        '/api/v1/channels',
        { type: 'slack', name: 'x', config: { webhookUrl: 'https://hooks.slack.com/services/a' } },
        key,
      );
      expect(res.status).toBe(403);
      const body = await json(res);
      expect(body.code).toBe('FORBIDDEN');
      expect(body.error).toContain('ADMIN');
    }
    expect((await server.api('/api/v1/channels', { key: writer })).status).toBe(200);
  });

  it('answers bad input with 400 naming the field and the fix', async () => {
    const cases: [unknown, string][] = [
      [{ type: 'carrier-pigeon', name: 'x', config: {} }, 'type:'],
      [{ type: 'webhook', config: { url: 'https://a.example' } }, 'name:'],
      [{ type: 'webhook', name: 'x', config: { url: 'ftp://a.example' } }, 'config.url:'],
      [{ type: 'webhook', name: 'x', config: { url: 'https://a.example', colour: 'red' } }, 'colour'],
      [{ type: 'pagerduty', name: 'x', config: { routingKey: 'short' } }, 'config.routingKey:'],
      [{ type: 'email', name: 'x', config: { recipients: ['not-an-address'] } }, 'config.recipients.0:'],
      [{ type: 'webhook', name: 'x', config: { url: 'https://a.example' }, enabled: 'yes' }, 'enabled:'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/api/v1/channels', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      const answer = await json(res);
      expect(answer.code).toBe('VALIDATION_ERROR');
      expect(answer.error).toContain(field);
    }
    expect((await server.api('/api/v1/channels/ch_nope', { key: admin })).status).toBe(404);
  });

  it('keeps forwarding rules and notification settings, refusing channels of nobody', async () => {
    const ch = (
      await json(
        await post('/api/v1/channels', {
          type: 'grafana',
          name: 'Grafana',
          config: { url: 'https://grafana.example.com', apiToken: 'glsa_abcdefgh12345678' },
        }),
      )
    ).data;
    expect(ch.config.apiToken).toBe('••••5678');
    const bad = await post('/api/v1/forwarding', { name: 'x', channelId: 'ch_missing' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error).toContain('channelId');
    const rule = await post('/api/v1/forwarding', {
      name: 'Prod deploys',
      channelId: ch.id,
      types: ['deployment'],
      subjects: ['PRODUCTION'],
      severities: ['major'],
    });
    expect(rule.status).toBe(201);
    const created = (await json(rule)).data;
    expect(created).toMatchObject({
      types: ['deployment'],
      subjects: ['PRODUCTION'],
      sources: [],
      severities: ['MAJOR'],
      enabled: true,
    });
    const changed = await json(await patch(`/api/v1/forwarding/${created.id}`, { enabled: false }));
    expect(changed.data).toMatchObject({ enabled: false, types: ['deployment'] });
    expect((await post('/api/v1/forwarding', { name: 'x', channelId: ch.id }, writer)).status).toBe(403);

    const put = (body: unknown, key = admin) =>
      server.api('/api/v1/notifications/settings', { method: 'PUT', key, body: JSON.stringify(body) });
    expect((await put({ triageChannels: ['ch_nope'] })).status).toBe(400);
    expect((await put({ triageChannels: [ch.id] }, writer)).status).toBe(403);
    expect((await put({ triageChannels: [ch.id] })).status).toBe(200);
    const settings = await json(await server.api('/api/v1/notifications/settings', { key: reader }));
    expect(settings.data).toEqual({ regressionChannels: [], triageChannels: [ch.id] });

    // Deleting the channel takes its rules with it.
    expect((await server.api(`/api/v1/channels/${ch.id}`, { method: 'DELETE', key: admin })).status).toBe(
      200,
    );
    expect((await server.api(`/api/v1/forwarding/${created.id}`, { key: admin })).status).toBe(404);
  });

  it('applies the plan limit and keeps organizations apart', async () => {
    const org = await server.store.organizations.create(`free-${engine}`, 'Free Co', 'free');
    const freeAdmin = await server.key('ADMIN', org.id);
    const body = { type: 'webhook', name: 'one', config: { url: 'https://a.example/hook' } };
    const first = await post('/api/v1/channels', body, freeAdmin);
    expect(first.status).toBe(201);
    const second = await post('/api/v1/channels', { ...body, name: 'two' }, freeAdmin);
    expect(second.status).toBe(403);
    expect((await json(second)).error).toContain('free plan allows 1');
    const mine = (await json(first)).data.id;
    expect((await server.api(`/api/v1/channels/${mine}`, { key: admin })).status).toBe(404);
    expect((await patch(`/api/v1/channels/${mine}`, { enabled: false })).status).toBe(404);
  });
});

describe('email channels without a mail server', () => {
  it('are refused at creation, naming OPSTRAILS_SMTP_URL', async () => {
    const server = await startTestServer('sqlite');
    try {
      const res = await server.api('/api/v1/channels', {
        method: 'POST',
        key: await server.key('ADMIN'),
        body: JSON.stringify({ type: 'email', name: 'Mail', config: {} }),
      });
      expect(res.status).toBe(400);
      expect((await json(res)).error).toContain('OPSTRAILS_SMTP_URL');
    } finally {
      await server.close();
    }
  });
});
