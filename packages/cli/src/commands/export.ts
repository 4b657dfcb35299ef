/** `opstrails export`: every event in a range, oldest first, to NDJSON or a JSON array. */
import { createWriteStream, renameSync, rmSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type Command, Option } from 'commander';
import { addClientOptions, openClient, runClient } from '../api-client.js';
import type { ClientFlags } from '../client-config.js';
import { addFilterOptions, type FilterFlags, filtersFrom } from '../filters.js';
import { Progress } from '../progress.js';

interface ExportFlags extends ClientFlags, FilterFlags {
  output?: string;
  format?: 'ndjson' | 'json';
}

export function registerExport(program: Command): void {
  const command = program
    .command('export')
    .description('Export events, oldest first, as CloudEvents JSON: NDJSON (one per line) or a JSON array.')
    .option('-o, --output <file>', 'write to this file instead of stdout')
    .addOption(
      new Option(
        '--format <format>',
        'ndjson or json (default: json for a .json --output, else ndjson)',
      ).choices(['ndjson', 'json']),
    );
  addFilterOptions(command);
  addClientOptions(command).addHelpText(
    'after',
    `
A summary ends on stderr; outside a terminal a progress line is printed every 10 s
(OPSTRAILS_PROGRESS_SECONDS).

Examples:
  $ opstrails export -o events.ndjson
  $ opstrails export --from 2025-01-01T00:00:00Z --to 2025-02-01T00:00:00Z -o january.json
  $ opstrails export --subject PRODUCTION --type deployment | gzip > deploys.ndjson.gz`,
  );
  command.action(async (flags: ExportFlags) => {
    const toFile = flags.output !== undefined && flags.output !== '-';
    const format = flags.format ?? (flags.output?.endsWith('.json') ? 'json' : 'ndjson');
    const client = openClient(flags);
    const progress = new Progress('exported');
    let lines = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) lines += 1;
        progress.update(lines);
        done(null, chunk);
      },
    });
    await runClient(async () => {
      const body = Readable.fromWeb(
        (await client.exportEvents({ ...filtersFrom(flags), format })) as WebReadableStream<Uint8Array>,
      );
      if (!toFile) {
        await pipeline(body, counter, process.stdout, { end: false });
      } else {
        // Written aside and renamed at the end, so a failed export never looks like a complete one.
        const partial = `${flags.output}.partial`;
        try {
          await pipeline(body, counter, createWriteStream(partial));
          renameSync(partial, flags.output as string);
        } catch (error) {
          rmSync(partial, { force: true });
          throw error;
        }
      }
    });
    // A JSON array adds two line breaks of its own around the events.
    const events = format === 'json' ? Math.max(lines - 2, 0) : lines;
    progress.finish(
      `exported ${events.toLocaleString('en-US')} events${toFile ? ` to ${flags.output}` : ''} (${progress.rate(events)})`,
    );
  });
}
