/**
 * One MCP Apps view (SEP-1865, `text/html;profile=mcp-app`): a self-contained HTML page that
 * the host renders in a sandboxed iframe and feeds the tool's result over postMessage
 * (`ui/initialize`, then `ui/notifications/tool-result`). Nothing is fetched: the page holds
 * its whole script and style, and its Content-Security-Policy allows exactly those two (by
 * hash) and nothing else, no network, no images from anywhere, no frames. The view script
 * writes event values with `textContent` and SVG attributes only: whatever an event carries
 * (`<script>`, `<img onerror>`) shows as the text it is, and would not run even if the page
 * slipped, because the policy admits no script but ours.
 */
import { createHash } from 'node:crypto';

export const APP_MIME_TYPE = 'text/html;profile=mcp-app';
export const APPS_EXTENSION = 'io.modelcontextprotocol/ui';
/** The MCP Apps protocol revision the views speak to the host. */
export const APPS_PROTOCOL_VERSION = '2026-01-26';
/** The XML namespace of the SVG the views draw (a name, never fetched). */
export const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/**
 * What every view shares: the host handshake, replies to the host's requests, size reports,
 * and `el`/`svg` helpers that only ever set text. The view's own script defines
 * `render(data, root)` for the tool's structuredContent and `DRAWS`, the field it draws: an
 * answer without it (another shape) is shown as the tool's own text.
 */
const RUNTIME = `
'use strict';
function el(tag, text, className) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (className) node.className = className;
  return node;
}
const SVG_NS = ${JSON.stringify(SVG_NAMESPACE)};
function svg(tag, attributes, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, String(value));
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}
const list = (value) => (Array.isArray(value) ? value : []);
const str = (value) => (value === undefined || value === null ? '' : String(value));
let nextId = 1;
const pending = new Map();
function send(message) { window.parent.postMessage(message, '*'); }
function request(method, params) {
  const id = nextId++;
  send({ jsonrpc: '2.0', id, method, params });
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
function reportSize() {
  const d = document.documentElement;
  send({ jsonrpc: '2.0', method: 'ui/notifications/size-changed', params: { width: d.scrollWidth, height: d.scrollHeight } });
}
function show(result) {
  const root = document.getElementById('root');
  root.replaceChildren();
  const data = result && result.structuredContent;
  if (!result || result.isError || !data || typeof data !== 'object') {
    const first = result && list(result.content).find((c) => c && c.type === 'text');
    root.append(el('p', first ? first.text : 'No data to show.', 'note'));
  } else if (data[DRAWS] === undefined || data[DRAWS] === null) {
    // An answer of another shape (a summary instead of the list): show the tool's own text.
    const first = list(result.content).find((c) => c && c.type === 'text');
    root.append(el('pre', first ? first.text : 'No data to show.', 'text'));
  } else {
    try { render(data, root); } catch (error) { root.replaceChildren(el('p', 'This answer could not be drawn: ' + str(error && error.message), 'note')); }
  }
  reportSize();
}
window.addEventListener('message', (event) => {
  if (event.source !== window.parent) return;
  const m = event.data;
  if (!m || typeof m !== 'object' || m.jsonrpc !== '2.0') return;
  if (m.method === undefined && pending.has(m.id)) {
    const waiter = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) waiter.reject(m.error); else waiter.resolve(m.result);
    return;
  }
  if (m.method === 'ui/notifications/tool-result') show(m.params);
  else if (m.method === 'ui/notifications/tool-cancelled') document.getElementById('root').replaceChildren(el('p', 'Cancelled.', 'note'));
  else if (m.id !== undefined && (m.method === 'ui/resource-teardown' || m.method === 'ping')) send({ jsonrpc: '2.0', id: m.id, result: {} });
});
request('ui/initialize', {
  appInfo: { name: document.title, version: '1' },
  appCapabilities: { availableDisplayModes: ['inline'] },
  protocolVersion: ${JSON.stringify(APPS_PROTOCOL_VERSION)},
}).then((init) => {
  const theme = init && init.hostContext && init.hostContext.theme;
  if (theme === 'dark' || theme === 'light') document.documentElement.dataset.theme = theme;
  send({ jsonrpc: '2.0', method: 'ui/notifications/initialized', params: {} });
}, () => undefined);
`;

const BASE_STYLE = `
:root { color-scheme: light dark; --fg: var(--color-text-primary, #1b1b1f); --muted: var(--color-text-secondary, #5f6368);
  --bg: var(--color-background-primary, #ffffff); --line: var(--color-border-secondary, #d7d9de);
  --bad: #c5221f; --good: #188038; --warn: #b06000; --accent: #1a73e8; }
:root[data-theme="dark"] { --fg: #e8eaed; --muted: #9aa0a6; --bg: #202124; --line: #3c4043; }
body { margin: 0; padding: 12px; font: 13px/1.4 var(--font-sans, system-ui, sans-serif); color: var(--fg); background: var(--bg); }
h1 { font-size: 15px; margin: 0 0 8px; }
.note { color: var(--muted); }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid var(--line); padding: 4px 6px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { font-weight: 600; }
pre.text { white-space: pre-wrap; overflow-wrap: anywhere; font: 12px/1.4 var(--font-mono, ui-monospace, monospace); }
.bad { color: var(--bad); } .good { color: var(--good); } .warn { color: var(--warn); }
`;

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export interface AppPage {
  title: string;
  /** The view's `render(data, root)` and whatever it needs (plain browser JavaScript). */
  script: string;
  style?: string;
}

/** The whole HTML document of a view, with its policy pinned to its own script and style. */
export function appPage(page: AppPage): string {
  const script = RUNTIME + page.script;
  const style = BASE_STYLE + (page.style ?? '');
  const policy = [
    "default-src 'none'",
    `script-src ${sha256(script)}`,
    `style-src ${sha256(style)}`,
    'img-src data:',
    "connect-src 'none'",
    "frame-src 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${page.title}</title>
<style>${style}</style>
</head>
<body>
<main id="root"><p class="note">Waiting for the answer…</p></main>
<script>${script}</script>
</body>
</html>
`;
}
