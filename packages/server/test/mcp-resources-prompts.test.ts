/**
 * What the MCP server offers beyond tools, through the official clients over real HTTP: the
 * MCP Apps views (ui:// resources named by the tools' `_meta.ui.resourceUri`), the business
 * context and overview resources with change notices on `subscriptions/listen` (2026-07-28),
 * the prompts, and completion of their arguments from the organization's own values; the 1.x
 * client on the 2025 protocol reads, lists and completes the same.
 */
import { createHash } from 'node:crypto';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport as LegacyTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE_CONTEXT, FIXTURE_EVENTS, seedFixture } from '../../../test-support/mcp-fixture.js';
import { ENGINES, startTestServer, type TestServer } from '../../../test-support/test-server.js';
import { SVG_NAMESPACE } from '../src/mcp/apps/page.js';

const ENDPOINT = '/api/mcp/mcp';
const UI_TOOLS = {
  get_environment_grid: 'ui://opstrails/environment-grid.html',
  query_events: 'ui://opstrails/timeline.html',
  get_metrics_around_event: 'ui://opstrails/impact.html',
};

async function modernClient(server: TestServer, key: string): Promise<Client> {
  const client = new Client({ name: 'test', version: '1.0.0' }, { versionNegotiation: { mode: 'auto' } });
  await client.connect(
    new StreamableHTTPClientTransport(new URL(`${server.url}${ENDPOINT}`), {
      requestInit: { headers: { authorization: `Bearer ${key}` } },
    }),
  );
  return client;
}

/** Resolves with the params of the first notice for `uri` (the test waits on the condition, not a clock). */
function noticeFor(notices: { uri: string }[], uri: string): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (notices.some((n) => n.uri === uri) ? resolve() : setTimeout(check, 20));
    check();
  });
}

const textOf = (contents: { text?: string; blob?: string }[]) => contents.map((c) => c.text ?? '').join('');

describe.each(ENGINES)('MCP resources, apps, prompts and completions (%s)', (engine) => {
  let server: TestServer;
  let client: Client;
  let readOnly: string;
  const orgId = () => server.defaultOrg.id;

  beforeAll(async () => {
    server = await startTestServer(engine);
    await seedFixture(server, await server.key('READ_WRITE'));
    readOnly = await server.key('READ_ONLY');
    client = await modernClient(server, readOnly);
  });
  afterAll(async () => {
    await client?.close();
    await server?.close();
  });

  it('declares the MCP Apps extension and names a view on the grid, timeline and impact tools only', async () => {
    const capabilities = client.getServerCapabilities() as Record<string, unknown> & {
      extensions?: Record<string, { mimeTypes?: string[] }>;
      resources?: { subscribe?: boolean };
    };
    expect(capabilities.extensions?.['io.modelcontextprotocol/ui']?.mimeTypes).toEqual([
      'text/html;profile=mcp-app',
    ]);
    expect(capabilities.resources?.subscribe).toBe(true);
    const { tools } = await client.listTools();
    for (const tool of tools) {
      const expected = UI_TOOLS[tool.name as keyof typeof UI_TOOLS];
      const meta = tool._meta as { ui?: { resourceUri?: string } } | undefined;
      expect(meta?.ui?.resourceUri, tool.name).toBe(expected);
    }
    const { resources } = await client.listResources();
    for (const uri of Object.values(UI_TOOLS)) {
      expect(resources.find((r) => r.uri === uri)?.mimeType, uri).toBe('text/html;profile=mcp-app');
    }
  });

  it('serves each view as a self-contained page whose policy admits only its own script and style', async () => {
    for (const uri of Object.values(UI_TOOLS)) {
      const { contents } = await client.readResource({ uri });
      const [page] = contents as { uri: string; mimeType?: string; text?: string; _meta?: unknown }[];
      expect(page?.mimeType).toBe('text/html;profile=mcp-app');
      expect(page?._meta).toEqual({ ui: { csp: {}, prefersBorder: true } });
      const html = page?.text ?? '';
      expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
      // Nothing of any event is in the page: the data arrives with the tool result only.
      for (const e of FIXTURE_EVENTS) expect(html, `${uri} contains ${e.id}`).not.toContain(e.id);
      expect(html).not.toContain('checkout errors spiking');
      // Nothing is fetched: no src/href attributes, no external URL but the SVG namespace name.
      expect(html).not.toMatch(/\s(src|href)=/i);
      expect(html.replaceAll(SVG_NAMESPACE, '')).not.toMatch(/https?:\/\//);
      // The policy pins the one script and the one style by hash; event values are written as text.
      const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1] ?? '';
      expect(policy).toContain("default-src 'none'");
      expect(policy).toContain("connect-src 'none'");
      const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
      expect(scripts).toHaveLength(1);
      const hash = createHash('sha256')
        .update(scripts[0] as string)
        .digest('base64');
      expect(policy).toContain(`script-src 'sha256-${hash}'`);
      expect(scripts[0]).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    }
  });

  it('reads the business context and the overview', async () => {
    const { resources } = await client.listResources();
    const context = resources.find((r) => r.name === 'business-context');
    const overview = resources.find((r) => r.name === 'organization-overview');
    expect(context?.uri).toBe(`opstrails://org/${orgId()}/business-context`);
    expect(overview?.uri).toBe(`opstrails://org/${orgId()}/overview`);
    const read = await client.readResource({ uri: context?.uri as string });
    expect(textOf(read.contents)).toBe(FIXTURE_CONTEXT);
    const summary = textOf((await client.readResource({ uri: overview?.uri as string })).contents);
    expect(summary).toContain('Subjects seen: PRODUCTION');
    expect(summary).toContain('BE and DB deployments are tightly coupled');
  });

  it('announces a business context edit and new events to a listening client, throttled', async () => {
    // A fresh organization: its first event is announced at once (no earlier notice to space from).
    const org = await server.store.organizations.create(`notices-${engine}`, 'Notices');
    const writer = await server.key('READ_WRITE', org.id);
    const listener = await modernClient(server, await server.key('READ_ONLY', org.id));
    const notices: { uri: string }[] = [];
    listener.setNotificationHandler('notifications/resources/updated', (n) => {
      notices.push({ uri: n.params.uri });
    });
    const contextUri = `opstrails://org/${org.id}/business-context`;
    const overviewUri = `opstrails://org/${org.id}/overview`;
    const subscription = await listener.listen({ resourceSubscriptions: [contextUri, overviewUri] });
    try {
      expect(subscription.honoredFilter.resourceSubscriptions).toEqual([contextUri, overviewUri]);
      const sent = await server.api('/api/v1/events', {
        key: writer,
        method: 'POST',
        body: JSON.stringify({ ...FIXTURE_EVENTS[0], subject: 'EU-PRODUCTION' }),
      });
      expect(sent.status).toBe(201);
      await noticeFor(notices, overviewUri);
      const overview = textOf((await listener.readResource({ uri: overviewUri })).contents);
      expect(overview).toContain('Subjects seen: EU-PRODUCTION (1)');

      const put = await server.api('/api/v1/context', {
        key: writer,
        method: 'PUT',
        body: JSON.stringify({ context: 'EU-PRODUCTION is our only shop.' }),
      });
      expect(put.status).toBe(200);
      await noticeFor(notices, contextUri);
      const context = textOf((await listener.readResource({ uri: contextUri })).contents);
      expect(context).toBe('EU-PRODUCTION is our only shop.');
      // Another organization's notices never reach this stream.
      expect(notices.every((n) => n.uri.includes(org.id))).toBe(true);
    } finally {
      await subscription.close();
      await listener.close();
    }
  });

  it("refuses to listen to another organization's resources", async () => {
    const other = `opstrails://org/org_someone-else/business-context`;
    await expect(client.listen({ resourceSubscriptions: [other] })).rejects.toThrow(
      /not a resource of this organization/,
    );
  });

  it('lists the prompts and fills them', async () => {
    const { prompts } = await client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual([
      'incident-triage',
      'release-review',
      'weekly-change-report',
    ]);
    const triage = prompts.find((p) => p.name === 'incident-triage');
    expect(triage?.arguments?.map((a) => [a.name, a.required])).toEqual([
      ['subject', true],
      ['time', false],
      ['event_id', false],
    ]);
    const filled = await client.getPrompt({
      name: 'incident-triage',
      arguments: { subject: 'PRODUCTION', event_id: 'inc-1' },
    });
    const text = filled.messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');
    expect(text).toContain('what_changed {"eventId": "inc-1"}');
    expect(text).toContain('get_metrics_around_event');
    const review = await client.getPrompt({ name: 'release-review', arguments: { source: 'BE' } });
    const reviewText = review.messages
      .map((m) => (m.content.type === 'text' ? m.content.text : ''))
      .join('\n');
    expect(reviewText).toContain('query_events {"from": "-24h", "subject": "PRODUCTION", "source": "BE"}');
    const weekly = await client.getPrompt({ name: 'weekly-change-report', arguments: {} });
    expect(weekly.messages[0]?.content).toMatchObject({ type: 'text' });
  });

  it("completes prompt arguments from the organization's values, by prefix, any case", async () => {
    const complete = async (prompt: string, name: string, value: string) =>
      (await client.complete({ ref: { type: 'ref/prompt', name: prompt }, argument: { name, value } }))
        .completion;
    expect((await complete('incident-triage', 'subject', 'pRo')).values).toEqual(['PRODUCTION']);
    expect((await complete('incident-triage', 'subject', '')).values.sort()).toEqual([
      'DEVELOPMENT',
      'PRODUCTION',
      'STAGING',
    ]);
    expect((await complete('release-review', 'source', 'b')).values).toEqual(['BE']);
    expect((await complete('weekly-change-report', 'type', 'DEP')).values).toEqual(['deployment']);
    // Versions and ids of the newest events, newest first.
    expect((await complete('release-review', 'version', '2.')).values).toEqual(['2.5.0', '2.4.0']);
    expect((await complete('incident-triage', 'event_id', 'BE-PRD')).values).toEqual([
      'be-prd-250',
      'be-prd-240',
    ]);
    expect((await complete('incident-triage', 'subject', 'nothing')).values).toEqual([]);
  });

  it('narrows versions and event ids to the source and subject already filled in', async () => {
    const complete = async (prompt: string, name: string, value: string, context: Record<string, string>) =>
      (
        await client.complete({
          ref: { type: 'ref/prompt', name: prompt },
          argument: { name, value },
          context: { arguments: context },
        })
      ).completion.values;
    expect(await complete('release-review', 'version', '', { source: 'db' })).toEqual(['2026.11.1']);
    expect(await complete('release-review', 'version', '', { source: 'BE', subject: 'staging' })).toEqual([
      '2.4.0',
    ]);
    expect(await complete('incident-triage', 'event_id', 'fe', { subject: 'STAGING' })).toEqual([
      'fe-stg-310',
      'fe-stg-300',
    ]);
  });

  it('caps completions at 100 values and says how many there are', async () => {
    const org = await server.store.organizations.create(`many-${engine}`, 'Many');
    const events = Array.from({ length: 120 }, (_, i) => ({
      ...FIXTURE_EVENTS[0],
      id: `many-${i}`,
      subject: `SHOP-${String(i).padStart(3, '0')}`,
    }));
    const sent = await server.api('/api/v1/events', {
      key: await server.key('READ_WRITE', org.id),
      method: 'POST',
      body: JSON.stringify(events),
    });
    expect(sent.status).toBe(200);
    const other = await modernClient(server, await server.key('READ_ONLY', org.id));
    try {
      const { completion } = await other.complete({
        ref: { type: 'ref/prompt', name: 'release-review' },
        argument: { name: 'subject', value: 'shop-' },
      });
      expect(completion.values).toHaveLength(100);
      expect(completion.total).toBe(120);
      expect(completion.hasMore).toBe(true);
      // Only this organization's values.
      expect(completion.values.every((v) => v.startsWith('SHOP-'))).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('serves the 2025 protocol (1.x client): same views, resources, prompts and completions; same tool text', async () => {
    const legacy = new LegacyClient({ name: 'legacy', version: '1.0.0' });
    await legacy.connect(
      new LegacyTransport(new URL(`${server.url}${ENDPOINT}`), {
        requestInit: { headers: { authorization: `Bearer ${readOnly}` } },
      }),
    );
    try {
      // No stream carries notices on a stateless 2025 exchange: subscribe is not offered there.
      expect(legacy.getServerCapabilities()?.resources?.subscribe).toBe(false);
      const { tools } = await legacy.listTools();
      const grid = tools.find((t) => t.name === 'get_environment_grid');
      expect((grid?._meta as { ui?: { resourceUri?: string } })?.ui?.resourceUri).toBe(
        UI_TOOLS.get_environment_grid,
      );
      const { contents } = await legacy.readResource({ uri: UI_TOOLS.query_events });
      expect(contents[0]?.mimeType).toBe('text/html;profile=mcp-app');
      const context = await legacy.readResource({ uri: `opstrails://org/${orgId()}/business-context` });
      expect((context.contents[0] as { text?: string }).text).toBe(FIXTURE_CONTEXT);
      const { prompts } = await legacy.listPrompts();
      expect(prompts).toHaveLength(3);
      const { completion } = await legacy.complete({
        ref: { type: 'ref/prompt', name: 'incident-triage' },
        argument: { name: 'subject', value: 'sta' },
      });
      expect(completion.values).toEqual(['STAGING']);
      // A client without the extension gets the tool's text exactly as a client with it.
      const args = { from: '2026-11-14T00:00:00Z', to: '2026-11-15T00:00:00Z' };
      const old = (await legacy.callTool({ name: 'query_events', arguments: args })) as {
        content: { text?: string }[];
      };
      const current = (await client.callTool({ name: 'query_events', arguments: args })) as {
        content: { text?: string }[];
      };
      expect(old.content).toEqual(current.content);
      expect(old.content[0]?.text).toContain('inc-1');
    } finally {
      await legacy.close();
    }
  });
});
