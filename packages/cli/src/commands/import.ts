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
import { Progress } from '../progress.js';
import { parseRetries } from './send.js';

interface ImportFlags extends ClientFlags {
  format?: ImportFormat;
  batchSize: string;
  concurrency: string;
  retries: string;
}

/** Rejections listed one by one before the rest are only counted. */
const REPORT_MAX = 20;

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
often the file is imported. Use - to read stdin.

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
    let sent = 0;
    let rejected = 0;
    const reject = (where: string, error: string, code: string) => {
      rejected += 1;
      if (rejected > REPORT_MAX) return;
      progress.clear();
      process.stderr.write(`${where}: ${error} [${code}]\n`);
    };

    let failure: unknown;
    const inFlight = new Set<Promise<void>>();
    const send = async (events: CloudEvent[], wheres: string[]) => {
      const request = client.sendBatch(events).then(
        (result) => {
          for (const r of result.rejected) reject(wheres[r.index] ?? `event ${r.index}`, r.error, r.code);
          sent += events.length - result.rejected.length;
          progress.update(sent + rejected, source.bytesRead());
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
          reject(item.where, item.problem ?? 'unreadable', 'VALIDATION_ERROR');
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
        const reason =
          failure instanceof OpsTrailsError ? `${failure.message} [${failure.code}]` : String(failure);
        throw new Error(
          `import stopped after ${sent.toLocaleString('en-US')} events: ${reason}\n  fix the cause and run the same command again: events already stored are skipped`,
        );
      }
    });
    if (rejected > REPORT_MAX) process.stderr.write(`... and ${rejected - REPORT_MAX} more rejected\n`);
    progress.finish(`imported ${sent.toLocaleString('en-US')} events from ${file} (${progress.rate(sent)})`);
    if (rejected > 0) {
      throw new Error(
        `${rejected} events rejected (listed above), ${sent} stored; fix the rejected ones and re-run: stored events are skipped`,
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
