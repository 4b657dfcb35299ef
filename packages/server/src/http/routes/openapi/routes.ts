/**
 * GET /api/v1/openapi.json (the document) and GET /api/docs (a readable reference page built
 * from it on the server: plain HTML and inline CSS, nothing fetched from anywhere else).
 */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../context.js';
import { buildDocument, type RouteEntry, routeEntries } from './document.js';

const VERSION = '0.1.0';

const html = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function page(doc: Record<string, unknown>): string {
  const paths = doc.paths as Record<string, Record<string, { tags: string[]; requestBody?: unknown }>>;
  const rows: string[] = [];
  for (const [path, ops] of Object.entries(paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const body = op.requestBody
        ? `<details><summary>request body (JSON Schema)</summary><pre>${html(JSON.stringify(op.requestBody, null, 2))}</pre></details>`
        : '';
      rows.push(
        `<tr><td class="m ${method}">${method.toUpperCase()}</td><td><code>${html(path)}</code>${body}</td><td>${html(op.tags.join(', '))}</td></tr>`,
      );
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>OpsTrails API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;margin:2rem auto;max-width:70rem;padding:0 1rem;color:#1b1f24}
table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #e3e6ea;padding:.35rem .5rem;vertical-align:top}
.m{font:600 12px ui-monospace,monospace;width:5rem}.get{color:#0a6}.post{color:#06c}.patch,.put{color:#a60}.delete{color:#c22}
pre{background:#f5f6f8;padding:.75rem;overflow:auto;font-size:12px}</style></head><body>
<h1>OpsTrails API reference</h1>
<p>Every route of this server. The machine-readable document is <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).
Authentication: <code>Authorization: Bearer &lt;key&gt;</code>. Answers: <code>{"success": true, "data": …}</code> or
<code>{"success": false, "error": "…", "code": "…"}</code>.</p>
<table><tbody>${rows.join('\n')}</tbody></table></body></html>`;
}

export function registerOpenApi(app: FastifyInstance, ctx: AppContext): void {
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(...routeEntries(route));
  });
  let cached: Record<string, unknown> | undefined;
  const document = () => {
    cached ??= buildDocument(routes, ctx.config.publicUrl, VERSION);
    return cached;
  };
  app.get('/api/v1/openapi.json', async () => document());
  app.get('/api/docs', async (_request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
      .send(page(document())),
  );
}
