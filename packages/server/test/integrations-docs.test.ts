/**
 * docs/integrations.md as written: the shell function run with bash and the real curl against a
 * test server, the Argo CD templates rendered (Argo CD's placeholders filled in) and posted to an
 * argocd receiver, and the event each other sender (Helm hook, Kubernetes Job, Terraform) posts.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../test-support/test-server.js';

const run = promisify(execFile);
const DOC = readFileSync(join(import.meta.dirname, '..', '..', '..', 'docs', 'integrations.md'), 'utf8');
// biome-ignore lint/suspicious/noExplicitAny: answers are checked field by field
type Loose = any;

/** The first fenced block of `lang` after the heading. */
function block(heading: string, lang: string): string {
  const from = DOC.indexOf(heading);
  expect(from).toBeGreaterThan(-1);
  const match = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(DOC.slice(from));
  return match?.[1] ?? '';
}

/** What Argo CD, Helm and Terraform would fill in. */
const VALUES: Record<string, string> = {
  '.app.metadata.name': 'checkout',
  '.app.spec.project': 'default',
  '.app.spec.destination.namespace': 'checkout-prod',
  'index .app.metadata.labels "environment"': 'production',
  '.app.status.sync.revision': '7c3d5f1e2a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d',
  '.app.status.sync.status': 'Synced',
  '.app.status.health.status': 'Healthy',
  '.app.status.operationState.finishedAt': '2025-03-04T10:21:08Z',
  'toJson .app.status.operationState.message': '"one or more objects failed to apply"',
  '.app.spec.source.repoURL': 'https://github.com/acme/deploy.git',
  '.context.argocdUrl': 'https://argocd.example.com',
  '.Release.Name': 'checkout',
  '.Values.environment': 'PRODUCTION',
  '.Chart.AppVersion': '2.4.1',
  '.Release.Revision': '7',
  'var.environment': 'PRODUCTION',
  'var.image_tag': '2.4.1',
};
const fill = (template: string) =>
  template
    .replace(/\{\{\s*(.+?)\s*\}\}/g, (_, name: string) => VALUES[name] ?? `<unknown ${name}>`)
    .replace(/\$\{(.+?)\}/g, (_, name: string) => VALUES[name] ?? `<unknown ${name}>`);

describe('docs/integrations.md', () => {
  let server: TestServer;
  let writer: string;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer('sqlite');
    writer = await server.key('READ_WRITE');
    admin = await server.key('ADMIN');
  });
  afterAll(() => server.close());

  it('the shell function stores the event and prints its id', async () => {
    const script = block('### A shell function', 'bash');
    const { stdout } = await run('bash', ['-c', script], {
      env: { PATH: process.env.PATH, OPSTRAILS_URL: server.url, OPSTRAILS_KEY: writer },
    });
    const id = stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const event = ((await (await server.api(`/api/v1/events/${id}`, { key: writer })).json()) as Loose).data;
    expect(event).toMatchObject({
      type: 'deployment',
      source: 'checkout-api',
      subject: 'PRODUCTION',
      version: '2.4.1',
      data: { description: 'Canary promoted' },
    });
    await expect(
      run('bash', ['-c', script], {
        env: { PATH: process.env.PATH, OPSTRAILS_URL: server.url, OPSTRAILS_KEY: 'ot_wrong' },
      }),
    ).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/401/) });
  });

  it('the Argo CD templates, as Argo CD renders them, are taken by an argocd receiver', async () => {
    const created = (await (
      await server.api('/api/v1/receivers', {
        method: 'POST',
        key: admin,
        body: JSON.stringify({ kind: 'argocd', name: 'Argo CD' }),
      })
    ).json()) as Loose;
    const { id, secret } = created.data;
    const config = block('### Argo CD', 'yaml');
    const bodies = [...config.matchAll(/body: \|\n\s+(\{.*\})\n/g)].map((m) => fill(m[1] as string));
    expect(bodies).toHaveLength(3);
    const types: string[] = [];
    for (const body of bodies) {
      const res = await fetch(`${server.url}/api/v1/receivers/argocd/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body,
      });
      expect(res.status).toBe(202);
      const [eventId] = ((await res.json()) as Loose).data.eventIds;
      const event = (
        (await (
          await server.api(`/api/v1/events/${encodeURIComponent(eventId)}`, { key: writer })
        ).json()) as Loose
      ).data;
      expect(event).toMatchObject({
        source: 'checkout',
        subject: 'production',
        version: VALUES['.app.status.sync.revision'],
      });
      types.push(`${event.type}/${event.data.status}`);
    }
    expect(types).toEqual(['deployment/success', 'deployment/failed', 'health-degraded/degraded']);
  });

  it('the Helm hook, Kubernetes Job and Terraform senders post events the API stores', async () => {
    const bodies = [
      block('### Helm post-upgrade hook', 'yaml'),
      block('### Kubernetes Job', 'yaml'),
      block('### Terraform `local-exec`', 'hcl'),
    ].map((text) => fill(/'(\{"specversion".*?\})'/.exec(text)?.[1] ?? 'missing'));
    for (const body of bodies) {
      const res = await server.api('/api/v1/events', { method: 'POST', key: writer, body });
      expect(res.status, body).toBe(201);
    }
  });
});
