/** `opstrails events list`: events matching the filters, newest first, as a table or JSON. */
import { LIMITS } from '@opstrails/core';
import type { StoredEvent } from '@opstrails/sdk';
import type { Command } from 'commander';
import { addClientOptions, openClient, runClient } from '../api-client.js';
import type { ClientFlags } from '../client-config.js';
import { EVENT_HEADERS, eventRow } from '../event-format.js';
import { addFilterOptions, type FilterFlags, filtersFrom } from '../filters.js';
import { printTable } from '../output.js';

interface ListFlags extends ClientFlags, FilterFlags {
  limit: string;
  all?: boolean;
  json?: boolean;
}

export function registerEventsList(events: Command): void {
  const list = events
    .command('list')
    .description('List events matching the filters, newest first.')
    .option('--limit <n>', 'how many events to show', String(LIMITS.queryLimitDefault))
    .option('--all', 'every matching event (pages through all of them)')
    .option('--json', 'print a JSON array instead of a table');
  addFilterOptions(list);
  addClientOptions(list).addHelpText(
    'after',
    `
Examples:
  $ opstrails events list --from -24h --subject PRODUCTION
  $ opstrails events list --type deployment --type rollback --severity MAJOR --limit 100
  $ opstrails events list --from 2025-01-15T09:00 --to 2025-01-15T18:00 --timezone Europe/Paris --json`,
  );
  list.action(async (flags: ListFlags) => {
    if (!/^\d+$/.test(flags.limit) || Number(flags.limit) < 1) {
      throw new Error(`--limit: "${flags.limit}" must be a whole number of at least 1, e.g. --limit 100`);
    }
    const wanted = flags.all ? Number.POSITIVE_INFINITY : Number(flags.limit);
    const client = openClient(flags);
    await runClient(async () => {
      const found: StoredEvent[] = [];
      let cursor: string | undefined;
      do {
        const limit = Math.min(wanted - found.length, LIMITS.queryLimitMax);
        const page = await client.listEvents({ ...filtersFrom(flags), limit, cursor });
        found.push(...page.events);
        cursor = page.nextCursor ?? undefined;
      } while (cursor && found.length < wanted);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify(found, null, 2)}\n`);
      } else {
        printTable(EVENT_HEADERS, found.map(eventRow), 'no events match these filters');
      }
      if (cursor) process.stderr.write(`more events match: raise --limit or use --all\n`);
    });
  });
}
