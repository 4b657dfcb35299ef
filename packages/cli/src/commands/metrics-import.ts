/**
 * `opstrails metrics import <file>`: sends the points of a CSV or NDJSON file in batches of up to
 * 5,000. Safe to re-run: a point already stored for its metric, subject, source and time gets the
 * same value again.
 */
import { statSync } from 'node:fs';
import { type MetricPoint, OpsTrailsError } from '@opstrails/sdk';
import { type Command, Option } from 'commander';
import { addClientOptions, openClient, runClient } from '../api-client.js';
import type { ClientFlags } from '../client-config.js';
import { formatOf, type MetricsFormat, openPointSource } from '../metrics-reader.js';
import { Progress } from '../progress.js';
import { parseRetries } from './send.js';

const BATCH_MAX = 5_000;
/** Rejections listed one by one before the rest are only counted. */
const REPORT_MAX = 20;

interface MetricImportFlags extends ClientFlags {
  format?: MetricsFormat;
  batchSize: string;
  concurrency: string;
  retries: string;
}

function wholeNumber(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max)
    throw new Error(`${flag}: "${raw}" must be a whole number from ${min} to ${max}`);
  return n;
}

export function registerMetricsImport(metrics: Command): void {
  const command = metrics
    .command('import <file>')
    .description(
      'Send the metric points of a CSV or NDJSON file in batches. Safe to re-run: a point sent again keeps one value.',
    )
    .addOption(
      new Option(
        '--format <format>',
        'csv or ndjson (default: from the file name, else the first character)',
      ).choices(['csv', 'ndjson']),
    )
    .option('--batch-size <n>', `points per request, 1 to ${BATCH_MAX}`, String(BATCH_MAX))
    .option('--concurrency <n>', 'requests in flight at once', '2')
    .option('--retries <n>', 'retries of a batch on 429, 5xx and network failures', '3');
  addClientOptions(command).addHelpText(
    'after',
    `
CSV: a header row naming metric, subject, time, value and optionally source, e.g.
  metric,subject,source,time,value
  error_rate,PRODUCTION,checkout-api,2026-01-15T14:30:00Z,0.012
NDJSON: one point per line, {"metric": "error_rate", "subject": "PRODUCTION", "time": 1768487400, "value": 0.012}.
time takes NOW, RFC 3339, RFC 2822 or Unix seconds. Use - to read stdin. It ends with a summary
on stderr; outside a terminal it prints a progress line every 10 s (OPSTRAILS_PROGRESS_SECONDS).

Examples:
  $ opstrails metrics import error-rate-last-week.csv
  $ opstrails metrics import points.ndjson --url https://opstrails.internal.example.com`,
  );
  command.action(async (file: string, flags: MetricImportFlags) => {
    const batchSize = wholeNumber('--batch-size', flags.batchSize, 1, BATCH_MAX);
    const concurrency = wholeNumber('--concurrency', flags.concurrency, 1, 16);
    const client = openClient(flags, { maxRetries: parseRetries(flags.retries) });
    let size: number | undefined;
    if (file !== '-') {
      try {
        size = statSync(file).size;
      } catch (error) {
        throw new Error(`cannot read ${file}: ${(error as Error).message}`);
      }
    }
    const source = openPointSource(file, formatOf(file, flags.format));
    const progress = new Progress('imported', size, process.stderr, 'points');
    let stored = 0;
    let rejected = 0;
    const reject = (where: string, error: string) => {
      rejected += 1;
      if (rejected <= REPORT_MAX) {
        progress.clear();
        process.stderr.write(`${where}: ${error}\n`);
      }
    };
    const summary = () =>
      `${(stored + rejected).toLocaleString('en-US')} points sent: ${stored.toLocaleString('en-US')} stored, ${rejected.toLocaleString('en-US')} rejected${rejected > REPORT_MAX ? ` (the first ${REPORT_MAX} listed)` : ''}  ${progress.rate(stored + rejected)}`;

    let failure: unknown;
    const inFlight = new Set<Promise<void>>();
    const send = async (points: MetricPoint[], wheres: string[]) => {
      const request = client.sendMetrics(points).then(
        (result) => {
          stored += result.accepted;
          for (const r of result.rejected) reject(wheres[r.index] ?? `point ${r.index}`, r.error);
          progress.update(stored + rejected, source.bytesRead());
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
      let points: MetricPoint[] = [];
      let wheres: string[] = [];
      for await (const item of source.items) {
        if (failure) break;
        if (!item.point) {
          reject(item.where, item.problem ?? 'unreadable');
          continue;
        }
        points.push(item.point as unknown as MetricPoint);
        wheres.push(item.where);
        if (points.length >= batchSize) {
          await send(points, wheres);
          points = [];
          wheres = [];
        }
      }
      if (points.length > 0 && !failure) await send(points, wheres);
      await Promise.all(inFlight);
      if (failure) {
        progress.finish(summary());
        const reason =
          failure instanceof OpsTrailsError ? `${failure.message} [${failure.code}]` : String(failure);
        throw new Error(
          `import stopped after ${stored.toLocaleString('en-US')} points: ${reason}\n  fix the cause and run the same command again: points sent again keep one value`,
        );
      }
    });
    progress.finish(summary());
    if (rejected > 0)
      throw new Error(
        `${rejected.toLocaleString('en-US')} points rejected (listed above), ${stored.toLocaleString('en-US')} stored; fix them and re-run`,
      );
  });
}
