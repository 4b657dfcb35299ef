/**
 * `opstrails import`: sends the events of an NDJSON or JSON file in batches. Idempotent: the
 * server keys events on source + id, so re-running an interrupted import finishes the job
 * without duplicates.
 */
import { statSync } from 'node:fs';
import { LIMITS } from '@opstrails/core';
import { type CloudEvent, OpsTrailsError } from '@opstrails/sdk';
import { type Command, Option } from 'commander';
import { addClientOptions, openClient, runClient } from '../api-client.js';
import type { ClientFlags } from '../client-config.js';
import { type ImportFormat, openImportSource } from '../import-reader.js';
import { ImportTally } from '../import-tally.js';
import { Progress } from '../progress.js';
import { parseRetries } from './send.js';

interface ImportFlags extends ClientFlags {
  format?: ImportFormat;
  batchSize: string;
  concurrency: string;
  retries: string;
}

export function registerImport(program: Command): void {
  const command = program
    .command('import <file>')
    .description(
      'Send the events of an NDJSON or JSON file (an export, or CloudEvents you wrote) in batches. Safe to re-run: events already stored (same source + id) are skipped.',
    )
    .addOption(
      new Option('--format <format>', 'ndjson or json (default: detected from the first character)').choices([
        'ndjson',
        'json',
      ]),
    )
    .option('--batch-size <n>', `events per request, 1 to ${LIMITS.batchMax}`, String(LIMITS.batchMax))
    .option('--concurrency <n>', 'requests in flight at once', '4')
    .option('--retries <n>', 'retries of a batch on 429, 5xx and network failures', '3');
  addClientOptions(command).addHelpText(
    'after',
    `
Events without an id get one derived from their content, so they too are stored once however
often the file is imported. Use - to read stdin. It ends with a summary on stderr ("4,000 sent:
0 new, 4,000 already stored, 0 rejected"); outside a terminal it prints a progress line every
10 s (OPSTRAILS_PROGRESS_SECONDS).

Examples:
  $ opstrails import events.ndjson
  $ opstrails import january.json --url https://opstrails.internal.example.com
  $ gunzip -c deploys.ndjson.gz | opstrails import -`,
  );
  command.action(async (file: string, flags: ImportFlags) => {
    const batchSize = wholeNumber('--batch-size', flags.batchSize, 1, LIMITS.batchMax);
    const concurrency = wholeNumber('--concurrency', flags.concurrency, 1, 64);
    const client = openClient(flags, { maxRetries: parseRetries(flags.retries) });
    let size: number | undefined;
    if (file !== '-') {
      try {
        size = statSync(file).size;
      } catch (error) {
        throw new Error(`cannot read ${file}: ${(error as Error).message}`);
      }
    }
    const source = openImportSource(file, flags.format);
    const progress = new Progress('imported', size);
    const tally = new ImportTally((line) => {
      progress.clear();
      process.stderr.write(`${line}\n`);
    });

    let failure: unknown;
    const inFlight = new Set<Promise<void>>();
    const send = async (events: CloudEvent[], wheres: string[]) => {
      const request = client.sendBatch(events).then(
        (result) => {
          tally.add(result, wheres);
          progress.update(tally.sent, source.bytesRead());
        },
        (error: unknown) => {
          failure ??= error;
        },
      );
      const tracked = request.finally(() => inFlight.delete(tracked));
      inFlight.add(tracked);
      if (inFlight.size >= concurrency) await Promise.race(inFlight);
    };

    await runClient(async () => {
      let events: CloudEvent[] = [];
      let wheres: string[] = [];
      for await (const item of source.items) {
        if (failure) break;
        if (!item.event) {
          tally.reject(item.where, item.problem ?? 'unreadable', 'VALIDATION_ERROR');
          continue;
        }
        events.push(item.event as unknown as CloudEvent);
        wheres.push(item.where);
        if (events.length >= batchSize) {
          await send(events, wheres);
          events = [];
          wheres = [];
        }
      }
      if (events.length > 0 && !failure) await send(events, wheres);
      await Promise.all(inFlight);
      if (failure) {
        progress.clear();
        for (const line of tally.unlisted()) process.stderr.write(`${line}\n`);
        progress.finish(tally.summary(progress.rate(tally.sent)));
        const reason =
          failure instanceof OpsTrailsError ? `${failure.message} [${failure.code}]` : String(failure);
        throw new Error(
          `import stopped after ${tally.accepted.toLocaleString('en-US')} events: ${reason}\n  fix the cause and run the same command again: events already stored are skipped`,
        );
      }
    });
    for (const line of tally.unlisted()) process.stderr.write(`${line}\n`);
    progress.finish(tally.summary(progress.rate(tally.sent)));
    if (tally.rejected > 0) {
      throw new Error(
        `${tally.rejected} events rejected (listed above), ${tally.accepted} stored; fix the rejected ones and re-run: stored events are skipped`,
      );
    }
  });
}

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    throw new Error(`${flag}: "${raw}" must be a whole number from ${min} to ${max}`);
  }
  return n;
}
