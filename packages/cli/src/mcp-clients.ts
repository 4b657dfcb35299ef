/**
 * Where each MCP client keeps its configuration and the OpsTrails entry to put there. Project
 * files hold no key, only a reference the client resolves at start (an environment variable,
 * or VS Code's password prompt), so they can be committed. Claude Desktop has no such
 * reference and runs local commands only: its entry runs `opstrails mcp` with the key in its
 * own user-level file, which lives outside any repository.
 */
import { join } from 'node:path';

export const CLIENTS = ['claude-code', 'claude-desktop', 'cursor', 'vscode'] as const;
export type ClientName = (typeof CLIENTS)[number];
export type Scope = 'project' | 'user';

export interface Placement {
  file: string;
  /** The top-level key holding servers in that file. */
  section: 'mcpServers' | 'servers';
  entry: Record<string, unknown>;
  /** Extra top-level members the entry relies on (VS Code's input prompt). */
  extras?: Record<string, unknown[]>;
  /** Whether the written file contains the key itself. */
  holdsKey: boolean;
}

export interface Where {
  /** Project root (project scope). */
  dir: string;
  home: string;
  platform: NodeJS.Platform;
  /** APPDATA on Windows. */
  appData?: string;
}

export const SERVER_NAME = 'opstrails';
const KEY_INPUT = 'opstrails-api-key';

function desktopConfig(where: Where): string {
  if (where.platform === 'darwin')
    return join(where.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
  if (where.platform === 'win32')
    return join(
      where.appData ?? join(where.home, 'AppData', 'Roaming'),
      'Claude',
      'claude_desktop_config.json',
    );
  return join(where.home, '.config', 'Claude', 'claude_desktop_config.json');
}

function vscodeUserDir(where: Where): string {
  if (where.platform === 'darwin') return join(where.home, 'Library', 'Application Support', 'Code', 'User');
  if (where.platform === 'win32')
    return join(where.appData ?? join(where.home, 'AppData', 'Roaming'), 'Code', 'User');
  return join(where.home, '.config', 'Code', 'User');
}

/** The file and entry for `client` at `scope`; `apiKey` is only written where noted (Claude Desktop). */
export function placement(
  client: ClientName,
  scope: Scope,
  where: Where,
  url: string,
  apiKey?: string,
): Placement {
  const endpoint = `${url}/api/mcp/mcp`;
  switch (client) {
    case 'claude-code':
      return {
        file: scope === 'project' ? join(where.dir, '.mcp.json') : join(where.home, '.claude.json'),
        section: 'mcpServers',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Claude Code expands it from the environment at start.
        entry: { type: 'http', url: endpoint, headers: { Authorization: 'Bearer ${OPSTRAILS_API_KEY}' } },
        holdsKey: false,
      };
    case 'cursor':
      return {
        file:
          scope === 'project'
            ? join(where.dir, '.cursor', 'mcp.json')
            : join(where.home, '.cursor', 'mcp.json'),
        section: 'mcpServers',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: Cursor expands it from the environment at start.
        entry: { url: endpoint, headers: { Authorization: 'Bearer ${env:OPSTRAILS_API_KEY}' } },
        holdsKey: false,
      };
    case 'vscode':
      return {
        file:
          scope === 'project'
            ? join(where.dir, '.vscode', 'mcp.json')
            : join(vscodeUserDir(where), 'mcp.json'),
        section: 'servers',
        entry: { type: 'http', url: endpoint, headers: { Authorization: `Bearer \${input:${KEY_INPUT}}` } },
        extras: {
          inputs: [
            {
              type: 'promptString',
              id: KEY_INPUT,
              description: 'OpsTrails API key (READ_ONLY is enough)',
              password: true,
            },
          ],
        },
        holdsKey: false,
      };
    case 'claude-desktop':
      return {
        file: desktopConfig(where),
        section: 'mcpServers',
        entry: {
          command: 'opstrails',
          args: ['mcp'],
          env: { OPSTRAILS_URL: url, OPSTRAILS_API_KEY: apiKey ?? 'ot_REPLACE_WITH_A_READ_ONLY_KEY' },
        },
        holdsKey: apiKey !== undefined,
      };
  }
}

/**
 * `existing` (the parsed file, or null when absent) with our entry added. Other servers and
 * settings stay as they were; `replaced` says whether an OpsTrails entry was already there.
 */
export function merge(
  existing: Record<string, unknown> | null,
  p: Placement,
): { config: Record<string, unknown>; replaced: boolean } {
  const config: Record<string, unknown> = { ...(existing ?? {}) };
  const servers = { ...((config[p.section] as Record<string, unknown> | undefined) ?? {}) };
  const replaced = Object.hasOwn(servers, SERVER_NAME);
  servers[SERVER_NAME] = p.entry;
  config[p.section] = servers;
  for (const [key, items] of Object.entries(p.extras ?? {})) {
    const current = Array.isArray(config[key]) ? (config[key] as { id?: string }[]) : [];
    const ids = new Set(items.map((i) => (i as { id?: string }).id));
    config[key] = [...current.filter((c) => !ids.has(c.id)), ...items];
  }
  return { config, replaced };
}
