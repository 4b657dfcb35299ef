/** `opstrails keys create|list|revoke`: API key administration on the configured store. */
import { SCOPES, type Scope } from '@opstrails/core';
import { type Command, Option } from 'commander';
import { resolveOrg, withStore } from '../admin-store.js';
import { printTable } from '../output.js';

interface OrgFlags {
  org?: string;
  dataDir?: string;
}

export function registerKeys(program: Command): void {
  const keys = program
    .command('keys')
    .description('Create, list and revoke API keys (works on the store directly; no running server needed).')
    .addHelpText(
      'after',
      '\nExamples:\n  $ opstrails keys create --scope READ_WRITE --name ci\n  $ opstrails keys list\n  $ opstrails keys revoke <key id>',
    );

  keys
    .command('create')
    .description('Create an API key and print it alone on stdout (it is shown only this once).')
    .addOption(
      new Option(
        '--scope <scope>',
        'READ_WRITE to send events, READ_ONLY to query, ADMIN to also change configuration',
      )
        .choices(SCOPES)
        .makeOptionMandatory(),
    )
    .option('--name <name>', 'a name to recognise the key by', 'cli')
    .option('--org <slug>', 'organization (default: the default organization)')
    .option('--data-dir <dir>', 'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)')
    .addHelpText(
      'after',
      '\nExample:\n  $ export OPSTRAILS_API_KEY=$(opstrails keys create --scope READ_WRITE --name github-actions)',
    )
    .action(async (flags: OrgFlags & { scope: Scope; name: string }) => {
      await withStore(flags, async (store) => {
        const org = await resolveOrg(store, flags.org);
        const { key, info } = await store.apiKeys.create(org.id, flags.name, flags.scope);
        const { recordCliAudit } = await import('@opstrails/server');
        await recordCliAudit(store, {
          orgId: org.id,
          action: 'key.created',
          target: { type: 'key', id: info.id, label: info.name },
          details: { scope: info.scope },
        });
        process.stdout.write(`${key}\n`);
        process.stderr.write(
          `created ${info.scope} key "${info.name}" (${info.id}) in organization ${org.slug}; store it now, it is not shown again\n`,
        );
      });
    });

  keys
    .command('list')
    .description('List the API keys of an organization (never the keys themselves).')
    .option('--org <slug>', 'organization (default: the default organization)')
    .option('--all', 'include revoked keys')
    .option('--json', 'print JSON instead of a table')
    .option('--data-dir <dir>', 'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)')
    .addHelpText('after', '\nExample:\n  $ opstrails keys list --org acme')
    .action(async (flags: OrgFlags & { all?: boolean; json?: boolean }) => {
      await withStore(flags, async (store) => {
        const org = await resolveOrg(store, flags.org);
        const list = await store.apiKeys.list(org.id, flags.all === true);
        if (flags.json) {
          process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
          return;
        }
        printTable(
          ['ID', 'NAME', 'PREFIX', 'SCOPE', 'CREATED', 'LAST USED', 'REVOKED'],
          list.map((k) => [
            k.id,
            k.name,
            `${k.prefix}…`,
            k.scope,
            k.createdAt,
            k.lastUsedAt ?? '-',
            k.revokedAt ?? '-',
          ]),
          'no API keys yet; create one with: opstrails keys create --scope READ_WRITE',
        );
      });
    });

  keys
    .command('revoke <id>')
    .description('Revoke an API key by its id (see keys list); it stops working within a second.')
    .option('--org <slug>', 'organization (default: the default organization)')
    .option('--data-dir <dir>', 'data directory of the SQLite store (env OPSTRAILS_DATA_DIR)')
    .addHelpText('after', '\nExample:\n  $ opstrails keys revoke key_3q2-7wEv9d0l5mXk1kS8wA')
    .action(async (id: string, flags: OrgFlags) => {
      await withStore(flags, async (store) => {
        const org = await resolveOrg(store, flags.org);
        if (!(await store.apiKeys.revoke(org.id, id))) {
          throw new Error(`no active key "${id}" in organization ${org.slug}; see opstrails keys list`);
        }
        const { recordCliAudit } = await import('@opstrails/server');
        await recordCliAudit(store, { orgId: org.id, action: 'key.revoked', target: { type: 'key', id } });
        process.stdout.write(`revoked ${id}\n`);
      });
    });
}
