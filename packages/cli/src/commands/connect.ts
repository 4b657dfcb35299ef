/** `opstrails connect`: writes an MCP client's configuration for OpsTrails, never overwriting without asking. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { type Command, Option } from 'commander';
import { DEFAULT_URL } from '../client-config.js';
import { CLIENTS, type ClientName, merge, placement, type Scope } from '../mcp-clients.js';

interface ConnectFlags {
  client: ClientName;
  scope?: Scope;
  url?: string;
  apiKey?: string;
  dir: string;
  force?: boolean;
}

async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}

function readConfig(file: string): Record<string, unknown> | null {
  if (!existsSync(file)) return null;
  const text = readFileSync(file, 'utf8');
  if (text.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Reported below: a file we cannot read is never rewritten.
  }
  throw new Error(
    `${file} is not a JSON object; fix or move it, then run connect again (it was left untouched)`,
  );
}

export function registerConnect(program: Command): void {
  program
    .command('connect')
    .description(
      "Write an MCP client's configuration for this OpsTrails server: the project's file (committable: it holds no key, only a reference to OPSTRAILS_API_KEY or a prompt) or the user's.",
    )
    .addOption(new Option('--client <client>', 'which MCP client').choices(CLIENTS).default('claude-code'))
    .addOption(
      new Option('--scope <scope>', 'project file or user file (claude-desktop: user only)').choices([
        'project',
        'user',
      ]),
    )
    .option('--url <url>', 'server URL (env OPSTRAILS_URL, default http://127.0.0.1:8080)')
    .option(
      '--api-key <key>',
      'claude-desktop only: the key to put in its user config (env OPSTRAILS_API_KEY)',
    )
    .option('--dir <dir>', 'project directory', process.cwd())
    .option('--force', 'replace an existing OpsTrails entry without asking')
    .addHelpText(
      'after',
      `
Examples:
  $ opstrails connect --client claude-code          writes ./.mcp.json (key read from OPSTRAILS_API_KEY at start)
  $ opstrails connect --client cursor --scope user  writes ~/.cursor/mcp.json
  $ opstrails connect --client vscode               writes ./.vscode/mcp.json (VS Code asks for the key)
  $ OPSTRAILS_API_KEY=ot_… opstrails connect --client claude-desktop`,
    )
    .action(async (flags: ConnectFlags) => {
      const scope: Scope = flags.client === 'claude-desktop' ? 'user' : (flags.scope ?? 'project');
      if (flags.client === 'claude-desktop' && flags.scope === 'project')
        throw new Error('--scope project: Claude Desktop has only a user configuration; leave --scope out');
      const url = (flags.url ?? process.env.OPSTRAILS_URL ?? DEFAULT_URL).replace(/\/+$/, '');
      const apiKey =
        flags.client === 'claude-desktop' ? (flags.apiKey ?? process.env.OPSTRAILS_API_KEY) : undefined;
      const where = {
        dir: flags.dir,
        home: homedir(),
        platform: process.platform,
        appData: process.env.APPDATA,
      };
      const p = placement(flags.client, scope, where, url, apiKey);
      const { config, replaced } = merge(readConfig(p.file), p);
      if (
        replaced &&
        !flags.force &&
        !(await confirm(`${p.file} already has an "opstrails" server; replace it?`))
      ) {
        throw new Error(
          `${p.file} already has an "opstrails" server; left unchanged (rerun with --force to replace it)`,
        );
      }
      mkdirSync(dirname(p.file), { recursive: true });
      writeFileSync(p.file, `${JSON.stringify(config, null, 2)}\n`, { mode: p.holdsKey ? 0o600 : 0o644 });
      process.stdout.write(`${p.file}\n`);
      const notes = [`${replaced ? 'replaced' : 'added'} the "opstrails" MCP server (${url}) in ${p.file}`];
      if (flags.client === 'claude-code' || flags.client === 'cursor')
        notes.push(
          'the key is read from OPSTRAILS_API_KEY when the client starts: export it in the shell that starts it',
        );
      if (flags.client === 'vscode')
        notes.push('VS Code asks for the API key the first time it starts the server');
      if (flags.client === 'claude-desktop') {
        notes.push(
          apiKey
            ? 'the key is stored in that user file (readable by you only); restart Claude Desktop'
            : 'no key given: replace ot_REPLACE_WITH_A_READ_ONLY_KEY in that file, or rerun with OPSTRAILS_API_KEY set',
        );
      }
      process.stderr.write(`${notes.join('\n')}\n`);
    });
}
