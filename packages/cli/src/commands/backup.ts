/**
 * `opstrails backup <file>` and `opstrails restore <file>`: the embedded SQLite store, copied
 * consistently while a server runs (SQLite's online backup). PostgreSQL stores are backed up
 * with pg_dump / pg_restore (docs/operations.md); these commands say so.
 */
import type { Command } from 'commander';

interface Flags {
  dataDir?: string;
  force?: boolean;
}

async function sqliteDataDir(flags: Flags, verb: string): Promise<string> {
  const { ConfigError, loadConfig } = await import('@opstrails/server');
  const config = loadConfig(process.env, { dataDir: flags.dataDir });
  if (config.databaseUrl) {
    throw new ConfigError(
      `DATABASE_URL is set: this store is PostgreSQL; ${verb === 'back up' ? 'back it up' : 'restore it'} with ${verb === 'back up' ? 'pg_dump -Fc' : 'pg_restore'} (docs/operations.md)`,
    );
  }
  return config.dataDir;
}

export function registerBackup(program: Command): void {
  program
    .command('backup <file>')
    .description('Copy the SQLite store to <file>, consistently, even while the server is writing.')
    .option('--force', 'overwrite <file> if it exists')
    .option('--data-dir <dir>', 'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)')
    .addHelpText('after', '\nExample:\n  $ opstrails backup /var/backups/opstrails-$(date +%F).db')
    .action(async (file: string, flags: Flags) => {
      const { backupSqlite } = await import('@opstrails/server');
      const dataDir = await sqliteDataDir(flags, 'back up');
      const pages = await backupSqlite(dataDir, file, flags.force);
      process.stderr.write(`backed up the store in ${dataDir} to ${file} (${pages} pages)\n`);
    });

  program
    .command('restore <file>')
    .description(
      'Replace the SQLite store with the backup <file>; refuses an existing store without --force.',
    )
    .option('--force', 'replace the existing store (a running server sees the restored data)')
    .option('--data-dir <dir>', 'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ opstrails restore backup.db --data-dir /srv/opstrails-new\n  $ opstrails restore backup.db --force',
    )
    .action(async (file: string, flags: Flags) => {
      const { restoreSqlite } = await import('@opstrails/server');
      const dataDir = await sqliteDataDir(flags, 'restore');
      const pages = await restoreSqlite(file, dataDir, flags.force);
      process.stderr.write(`restored ${file} into the store in ${dataDir} (${pages} pages)\n`);
    });
}
