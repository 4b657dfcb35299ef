/** `opstrails mcp`: a stdio MCP server for local AI clients, forwarding to the OpsTrails server. */
import type { Command } from 'commander';
import { type ClientFlags, loadClientConfig } from '../client-config.js';
import { serveStdioProxy } from '../mcp-proxy.js';

export function registerMcp(program: Command): void {
  program
    .command('mcp')
    .description(
      'Run a stdio MCP server for a local AI client (Claude Desktop, Claude Code, Cursor, VS Code); it forwards to the server at OPSTRAILS_URL with OPSTRAILS_API_KEY and offers the same read-only tools, resources (with change notices), prompts and completion.',
    )
    .option('--url <url>', 'server URL (env OPSTRAILS_URL, default http://127.0.0.1:8080)')
    .option('--api-key <key>', 'API key, READ_ONLY is enough (env OPSTRAILS_API_KEY)')
    .addHelpText(
      'after',
      `
Example (what an MCP client runs; stdout carries the protocol, messages go to stderr):
  $ OPSTRAILS_URL=https://opstrails.example.com OPSTRAILS_API_KEY=ot_… opstrails mcp
Set up a client for you instead: opstrails connect --client claude-desktop`,
    )
    .action(async (flags: ClientFlags) => {
      const config = loadClientConfig(flags);
      await serveStdioProxy(config, (error) => process.stderr.write(`opstrails mcp: ${error.message}\n`));
      process.stderr.write(`opstrails mcp: serving ${config.url} over stdio\n`);
    });
}
