/**
 * `opstrails users list|add|reset-password|unlock`: console accounts, on the configured store
 * directly (no running server needed), so an operator can always let someone in: a new account
 * or a forgotten password gets a single-use link, printed once, with which its owner sets a
 * password in the console.
 */
import { ROLES, type Role } from '@opstrails/core';
import type { Command } from 'commander';
import { resolveOrg, withStore } from '../admin-store.js';
import { printTable } from '../output.js';

const STORE_FLAG = [
  '--data-dir <dir>',
  'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)',
] as const;
const LINK_NOTE =
  'The link starts with OPSTRAILS_PUBLIC_URL (set it to the address people open the console at).';

function noAccount(email: string, location: string): Error {
  return new Error(
    `no account with the email ${email.trim()} in the store at ${location}; check the spelling, add it with \`opstrails users add ${email.trim()} --org <slug>\`, or point at the server's store with --data-dir, OPSTRAILS_DATA_DIR or DATABASE_URL`,
  );
}

export function parseRole(value: string): Role {
  const role = value.toUpperCase();
  if (!(ROLES as readonly string[]).includes(role))
    throw new Error(`--role "${value}" must be one of ${ROLES.join(', ')}`);
  return role as Role;
}

export function registerUsers(program: Command): void {
  const users = program
    .command('users')
    .description(
      'Console accounts: list, add, reset a password, unlock (works on the store directly; no running server needed).',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  $ opstrails users list\n  $ opstrails users add ada@example.com --org acme --role ADMIN\n  $ opstrails users reset-password owner@example.com\n  $ opstrails users unlock owner@example.com',
    );

  users
    .command('list')
    .description('List accounts with their organizations and roles.')
    .option('--org <slug>', 'only the members of this organization')
    .option('--json', 'print JSON instead of a table')
    .option(...STORE_FLAG)
    .addHelpText('after', '\nExample:\n  $ opstrails users list --org acme')
    .action(async (flags: { org?: string; json?: boolean; dataDir?: string }) => {
      await withStore(flags, async (store) => {
        const org = flags.org ? await resolveOrg(store, flags.org) : undefined;
        const list = await store.users.listWithMemberships(org?.id);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        printTable(
          ['EMAIL', 'NAME', 'ORGANIZATIONS', 'CREATED'],
          list.map((u) => [
            u.email,
            u.name,
            u.memberships.map((m) => `${m.org} (${m.role})`).join(', ') || '-',
            u.createdAt,
          ]),
          'no accounts; add one with `opstrails users add <email> --org <slug>`',
        );
      });
    });

  users
    .command('add <email>')
    .description(
      'Make someone a member of an organization, creating the account when missing; a new account gets a link to set its password (printed on stdout).',
    )
    .option('--org <slug>', 'the organization (default: the default one)')
    .option('--role <role>', `${ROLES.join(', ')}`, 'MEMBER')
    .option('--name <name>', 'display name of a new account (default: the part of the email before @)')
    .option(...STORE_FLAG)
    .addHelpText(
      'after',
      `\nAn account that exists keeps its password and, if already a member, its role.\n${LINK_NOTE}\n\nExample:\n  $ opstrails users add ada@example.com --org acme --role ADMIN --name "Ada Lovelace"`,
    )
    .action(async (email: string, flags: { org?: string; role: string; name?: string; dataDir?: string }) => {
      const role = parseRole(flags.role);
      await withStore(flags, async (store, config) => {
        const { provisionMember } = await import('@opstrails/server');
        const org = await resolveOrg(store, flags.org);
        const done = await provisionMember(store, config.publicUrl, {
          email,
          name: flags.name,
          orgId: org.id,
          role,
        });
        reportProvisioned(done, org.slug);
      });
    });

  users
    .command('reset-password <email>')
    .description(
      'Print a single-use link (valid 24 hours) with which the account sets a new password; using it signs the account out everywhere.',
    )
    .option(...STORE_FLAG)
    .addHelpText(
      'after',
      `\nThe old password keeps working until the link is used. ${LINK_NOTE}\n\nExample:\n  $ opstrails users reset-password owner@example.com`,
    )
    .action(async (email: string, flags: { dataDir?: string }) => {
      await withStore(flags, async (store, config) => {
        const { cliResetLink } = await import('@opstrails/server');
        const user = await store.users.byEmail(email);
        if (!user) throw noAccount(email, store.location);
        const link = await cliResetLink(store, config.publicUrl, user);
        process.stdout.write(`${link.url}\n`);
        process.stderr.write(
          `reset link for ${user.email}: it works once, until ${link.expiresAt}; send it to them privately\n`,
        );
      });
    });

  users
    .command('unlock <email>')
    .description(
      'Let an account sign in again at once: clears the waits its failed sign-ins built up, from every address.',
    )
    .option(...STORE_FLAG)
    .addHelpText(
      'after',
      '\nA wait on an address (fifty failed sign-ins from it, for any accounts) is not cleared;\nit ends on its own, after at most 15 minutes.\n\nExample:\n  $ opstrails users unlock owner@example.com',
    )
    .action(async (email: string, flags: { dataDir?: string }) => {
      const { unlockEmail } = await import('@opstrails/server');
      await withStore(flags, async (store) => {
        const user = await store.users.byEmail(email);
        if (!user) throw noAccount(email, store.location);
        const cleared = await unlockEmail(store.loginAttempts, user.email);
        process.stderr.write(
          cleared > 0
            ? `unlocked ${user.email}: cleared ${cleared} sign-in wait(s); they can sign in now\n`
            : `${user.email} had no sign-in waits; nothing to clear\n`,
        );
      });
    });
}

/** What `users add` and `orgs create --owner` did, and the link when there is one (stdout, for scripts). */
export function reportProvisioned(
  done: {
    user: { email: string };
    created: boolean;
    joined: boolean;
    role: string;
    link: { url: string; expiresAt: string } | null;
  },
  orgSlug: string,
): void {
  const who = done.user.email;
  if (done.created) process.stderr.write(`created the account ${who}\n`);
  process.stderr.write(
    done.joined
      ? `${who} is now ${done.role} of ${orgSlug}\n`
      : `${who} was already ${done.role} of ${orgSlug}; role left as it was\n`,
  );
  if (done.link) {
    process.stdout.write(`${done.link.url}\n`);
    process.stderr.write(
      `send ${who} the link above: it sets their password and works once, until ${done.link.expiresAt}\n`,
    );
  } else if (!done.created) {
    process.stderr.write(
      `${who} signs in with their existing password (forgotten? \`opstrails users reset-password ${who}\`)\n`,
    );
  }
}
