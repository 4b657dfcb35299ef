/** `opstrails orgs create|list`: organizations (tenants) on the configured store. */

import { PLAN_NAMES } from '@opstrails/core';
import type { Command } from 'commander';
import { withStore } from '../admin-store.js';
import { printTable } from '../output.js';
import { registerOrgPlan } from './orgs-plan.js';
import { parseRole, reportProvisioned } from './users.js';

export function registerOrgs(program: Command): void {
  const orgs = program
    .command('orgs')
    .description('Create and list organizations (each has its own timeline and keys).')
    .addHelpText(
      'after',
      '\nExamples:\n  $ opstrails orgs create acme --name "Acme Corp"\n  $ opstrails orgs list',
    );

  orgs
    .command('create <slug>')
    .description(
      'Create an organization; with --owner, also who owns it (a new account gets a link to set its password).',
    )
    .option('--name <name>', 'display name (default: the slug)')
    .option(
      '--owner <email>',
      'make this person OWNER, creating the account when missing (the link is printed on stdout)',
    )
    .option('--data-dir <dir>', 'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)')
    .addHelpText(
      'after',
      '\nWithout --owner the organization has no members: add some with `opstrails users add <email> --org <slug>`.\n\nExamples:\n  $ opstrails orgs create acme --name "Acme Corp" --owner ops@acme.example\n  $ opstrails keys create --org acme --scope READ_WRITE',
    )
    .action(async (slug: string, flags: { name?: string; owner?: string; dataDir?: string }) => {
      const { slugProblem } = await import('@opstrails/server');
      const problem = slugProblem(slug);
      if (problem) throw new Error(problem);
      const owner = flags.owner?.trim();
      if (owner !== undefined && !/^[^@\s]+@[^@\s]+$/.test(owner))
        throw new Error(`--owner "${flags.owner}" must be an email address such as ops@example.com`);
      await withStore(flags, async (store, config) => {
        if (await store.organizations.bySlug(slug)) throw new Error(`organization "${slug}" already exists`);
        const org = await store.organizations.create(slug, flags.name ?? slug);
        process.stdout.write(`${org.id}\n`);
        process.stderr.write(`created organization ${org.slug} ("${org.name}")\n`);
        if (owner === undefined) return;
        const { provisionMember } = await import('@opstrails/server');
        const done = await provisionMember(store, config.publicUrl, {
          email: owner,
          orgId: org.id,
          role: parseRole('OWNER'),
        });
        reportProvisioned(done, org.slug);
      });
    });

  orgs
    .command('list')
    .description('List organizations.')
    .option('--json', 'print JSON instead of a table')
    .option('--data-dir <dir>', 'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)')
    .addHelpText('after', '\nExample:\n  $ opstrails orgs list --json')
    .action(async (flags: { json?: boolean; dataDir?: string }) => {
      await withStore(flags, async (store) => {
        const list = await store.organizations.list();
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        printTable(
          ['ID', 'SLUG', 'NAME', 'PLAN', 'CREATED'],
          list.map((o) => [o.id, o.slug, o.name, o.plan, o.createdAt]),
          'no organizations',
        );
      });
    });

  registerOrgPlan(orgs, PLAN_NAMES);
}
