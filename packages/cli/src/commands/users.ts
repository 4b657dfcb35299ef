/** `opstrails users unlock <email>`: console accounts, on the configured store directly. */
import type { Command } from 'commander';
import { withStore } from '../admin-store.js';

export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .description('Console accounts (works on the store directly; no running server needed).')
    .addHelpText('after', '\nExample:\n  $ opstrails users unlock owner@example.com');

  users
    .command('unlock <email>')
    .description(
      'Let an account sign in again at once: clears the waits its failed sign-ins built up, from every address.',
    )
    .option('--data-dir <dir>', 'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)')
    .addHelpText(
      'after',
      '\nA wait on an address (fifty failed sign-ins from it, for any accounts) is not cleared;\nit ends on its own, after at most 15 minutes.\n\nExample:\n  $ opstrails users unlock owner@example.com',
    )
    .action(async (email: string, flags: { dataDir?: string }) => {
      const { unlockEmail } = await import('@opstrails/server');
      await withStore(flags, async (store) => {
        const user = await store.users.byEmail(email);
        if (!user) {
          throw new Error(
            `no account with the email ${email.trim()} in the store at ${store.location}; check the spelling, or point at the server's store with --data-dir, OPSTRAILS_DATA_DIR or DATABASE_URL`,
          );
        }
        const cleared = await unlockEmail(store.loginAttempts, user.email);
        process.stderr.write(
          cleared > 0
            ? `unlocked ${user.email}: cleared ${cleared} sign-in wait(s); they can sign in now\n`
            : `${user.email} had no sign-in waits; nothing to clear\n`,
        );
      });
    });
}
