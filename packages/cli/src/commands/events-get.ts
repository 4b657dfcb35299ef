/** `opstrails events get <id>`: one event as JSON. */
import type { Command } from 'commander';
import { addClientOptions, openClient, runClient } from '../api-client.js';
import type { ClientFlags } from '../client-config.js';

export function registerEventsGet(events: Command): void {
  const get = events
    .command('get <id>')
    .description('Print one event as JSON.')
    .option('--source <source>', 'the source, when several sources used the same id');
  addClientOptions(get).addHelpText(
    'after',
    `
Examples:
  $ opstrails events get 3f9c2a1e-8b7d-4c55-9e0a-2d6f1b4c8a90
  $ opstrails events get build-1841 --source //github.com/acme/api`,
  );
  get.action(async (id: string, flags: ClientFlags & { source?: string }) => {
    const client = openClient(flags);
    await runClient(async () => {
      const event = await client.getEvent(id, { source: flags.source });
      process.stdout.write(`${JSON.stringify(event, null, 2)}\n`);
    });
  });
}
