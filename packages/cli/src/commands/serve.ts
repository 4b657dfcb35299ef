/** `opstrails serve`: runs the server until SIGINT/SIGTERM. */

import type { Command } from 'commander';

interface ServeFlags {
  host?: string;
  port?: string;
  dataDir?: string;
  logLevel?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('Start the OpsTrails server (embedded SQLite store unless DATABASE_URL is set).')
    .option('--host <address>', 'listen address (env OPSTRAILS_HOST, default 127.0.0.1)')
    .option('--port <port>', 'listen port, 0 for any free port (env OPSTRAILS_PORT, default 8080)')
    .option('--data-dir <dir>', 'where the SQLite file lives (env OPSTRAILS_DATA_DIR, default ~/.opstrails)')
    .option(
      '--log-level <level>',
      'fatal, error, warn, info, debug or silent (env OPSTRAILS_LOG_LEVEL, default warn)',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ opstrails serve
  $ opstrails serve --port 9000 --data-dir ./data
  $ DATABASE_URL=postgres://user:pass@db:5432/opstrails opstrails serve --host 0.0.0.0`,
    )
    .action(async (flags: ServeFlags) => {
      // Loaded here, not at the top: the other commands start without the server's modules.
      const { loadConfig, startServer } = await import('@opstrails/server');
      const config = loadConfig(process.env, flags);
      // An upgrade of a store of millions of events spends minutes in a few migrations: say which.
      const server = await startServer(config, {
        onUpgradeStep: (line) => process.stderr.write(`${line}\n`),
      });
      const keys = await server.store.apiKeys.countActive(server.defaultOrg.id);
      const setUp = await server.store.users.setupDone();
      const store =
        server.store.engine === 'sqlite'
          ? `SQLite at ${server.store.location}`
          : `PostgreSQL at ${server.store.location}`;
      process.stdout.write(
        [
          `OpsTrails is running at ${server.url}`,
          setUp
            ? `  console:      open ${server.url} in your browser and sign in`
            : `  console:      open ${server.url} in your browser to create the owner account and watch events arrive`,
          `  store:        ${store}`,
          `  data dir:     ${config.dataDir}`,
          `  health:       ${server.url}/healthz`,
          keys === 0
            ? '  no API key yet; create one (in another terminal, same settings):'
            : `  ${keys} API key(s) in the default organization; create another with:`,
          `    npx opstrails keys create --scope READ_WRITE --name my-first-key${flags.dataDir ? ` --data-dir ${flags.dataDir}` : ''}`,
          '  then send an event:',
          `    curl -X POST ${server.url}/api/v1/events -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" \\`,
          `      -d '{"specversion":"1.0","type":"deployment","source":"BE","time":"NOW","subject":"PRODUCTION"}'`,
          '',
        ].join('\n'),
      );
      const stop = async (signal: string) => {
        process.stdout.write(`\n${signal}: stopping OpsTrails…\n`);
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
