/** `opstrails events tail`: follows the live feed, reconnecting without loss after a drop. */
import type { Command } from 'commander';
import { addClientOptions, openClient, runClient } from '../api-client.js';
import type { ClientFlags } from '../client-config.js';
import { eventLine } from '../event-format.js';
import { addFilterOptions, type FilterFlags, filtersFrom } from '../filters.js';

interface TailFlags extends ClientFlags, FilterFlags {
  json?: boolean;
}

export function registerEventsTail(events: Command): void {
  const tail = events
    .command('tail')
    .description(
      'Print new events as they arrive, until Ctrl-C. Resumes where it was after a dropped connection.',
    )
    .option('--json', 'print one JSON event per line (NDJSON)');
  addFilterOptions(tail, false);
  addClientOptions(tail).addHelpText(
    'after',
    `
Examples:
  $ opstrails events tail
  $ opstrails events tail --subject PRODUCTION --severity MAJOR --severity CRITICAL
  $ opstrails events tail --json | jq .type`,
  );
  tail.action(async (flags: TailFlags) => {
    const client = openClient(flags);
    const stop = new AbortController();
    const quit = () => stop.abort();
    process.once('SIGINT', quit);
    process.once('SIGTERM', quit);
    let dropped = false;
    await runClient(async () => {
      const feed = client.tailEvents(filtersFrom(flags), {
        signal: stop.signal,
        onConnect: () => {
          process.stderr.write(
            dropped ? 'reconnected; resuming\n' : `following events at ${client.baseUrl} (Ctrl-C to stop)\n`,
          );
        },
        onReconnect: (reason) => {
          dropped = true;
          process.stderr.write(`connection lost (${reason.message}); reconnecting\n`);
        },
      });
      for await (const event of feed) {
        process.stdout.write(flags.json ? `${JSON.stringify(event)}\n` : `${eventLine(event)}\n`);
      }
    });
  });
}
