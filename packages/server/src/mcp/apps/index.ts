/**
 * The MCP Apps views (SEP-1865): `ui://` resources a host that speaks the extension renders
 * next to a tool's answer, linked from the tool by `_meta.ui.resourceUri`. Hosts without the
 * extension ignore both and show the tool's text as before. The views are static pages (the
 * data comes from the tool result, never from the page), so one HTML serves every organization.
 */
import type { McpServer } from '@modelcontextprotocol/server';
import { GRID_VIEW } from './grid-view.js';
import { IMPACT_VIEW } from './impact-view.js';
import { APP_MIME_TYPE, APPS_EXTENSION } from './page.js';
import { TIMELINE_VIEW } from './timeline-view.js';

export { APP_MIME_TYPE, APPS_EXTENSION };

export interface AppView {
  uri: string;
  name: string;
  title: string;
  description: string;
  /** The tools whose results this view draws. */
  tools: string[];
  html: string;
}

export const APP_VIEWS: AppView[] = [GRID_VIEW, TIMELINE_VIEW, IMPACT_VIEW];

/** No external origin at all: the host's most restrictive default policy, said explicitly. */
const RESOURCE_UI_META = { ui: { csp: {}, prefersBorder: true } };

/**
 * The `_meta` a tool carries to name its view, or undefined when it has none. The flat
 * `ui/resourceUri` key is the extension's deprecated spelling, kept for hosts that read only it.
 */
export function toolUiMeta(toolName: string): Record<string, unknown> | undefined {
  const view = APP_VIEWS.find((v) => v.tools.includes(toolName));
  return view ? { ui: { resourceUri: view.uri }, 'ui/resourceUri': view.uri } : undefined;
}

export function registerAppViews(server: McpServer): void {
  for (const view of APP_VIEWS) {
    server.registerResource(
      view.name,
      view.uri,
      { title: view.title, description: view.description, mimeType: APP_MIME_TYPE, _meta: RESOURCE_UI_META },
      async () => ({
        contents: [{ uri: view.uri, mimeType: APP_MIME_TYPE, text: view.html, _meta: RESOURCE_UI_META }],
      }),
    );
  }
}
