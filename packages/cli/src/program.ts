/** The `opstrails` command: one binary for the server, its administration and its clients. */
import { Command } from 'commander';
import { registerBackup } from './commands/backup.js';
import { registerConnect } from './commands/connect.js';
import { registerContext } from './commands/context.js';
import { registerEvents } from './commands/events.js';
import { registerExport } from './commands/export.js';
import { registerImport } from './commands/import.js';
import { registerKeys } from './commands/keys.js';
import { registerMcp } from './commands/mcp.js';
import { registerMetrics } from './commands/metrics.js';
import { registerOrgs } from './commands/orgs.js';
import { registerSend } from './commands/send.js';
import { registerServe } from './commands/serve.js';
import { registerUsers } from './commands/users.js';

export function buildProgram(): Command {
  const program = new Command('opstrails')
    .description(
      'OpsTrails: a structured changelog for infrastructure, queryable by people and AI assistants.',
    )
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      `
Start here:
  $ opstrails serve                                   start the server on the embedded store
  $ opstrails keys create --scope READ_WRITE --name ci   print a new API key`,
    );
  registerServe(program);
  registerKeys(program);
  registerOrgs(program);
  registerUsers(program);
  registerBackup(program);
  registerMcp(program);
  registerConnect(program);
  registerContext(program);
  registerSend(program);
  registerEvents(program);
  registerExport(program);
  registerImport(program);
  registerMetrics(program);
  return program;
}

export async function run(argv: string[]): Promise<void> {
  await buildProgram().parseAsync(argv);
}
