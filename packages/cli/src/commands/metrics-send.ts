/** `opstrails metrics send`: sends one metric point. */
import type { MetricPoint } from '@opstrails/sdk';
import type { Command } from 'commander';
import { addClientOptions, openClient, runClient } from '../api-client.js';
import type { ClientFlags } from '../client-config.js';
import { parseRetries } from './send.js';

interface MetricSendFlags extends ClientFlags {
  metric: string;
  subject: string;
  source?: string;
  time: string;
  value: string;
  retries: string;
}

export function registerMetricsSend(metrics: Command): void {
  const command = metrics
    .command('send')
    .description('Send one metric point (needs a READ_WRITE key).')
    .requiredOption('--metric <name>', 'the metric: error_rate, latency_p95, checkout.conversion, ...')
    .requiredOption('--subject <subject>', 'the environment: PRODUCTION, STAGING, ...')
    .requiredOption('--value <number>', 'the value, a finite number')
    .option('--source <source>', 'the system it measures (default: the whole environment)')
    .option('--time <time>', 'when: NOW, RFC 3339, RFC 2822 or Unix seconds', 'NOW')
    .option('--retries <n>', 'retries on 429, 5xx and network failures', '3');
  addClientOptions(command).addHelpText(
    'after',
    `
Sending the same metric, subject, source and time again replaces the value.

Examples:
  $ opstrails metrics send --metric error_rate --subject PRODUCTION --value 0.012
  $ opstrails metrics send --metric latency_p95 --subject PRODUCTION --source checkout-api \\
      --value 231 --time 2026-01-15T14:30:00Z`,
  );
  command.action(async (flags: MetricSendFlags) => {
    const value = Number(flags.value);
    if (flags.value.trim() === '' || !Number.isFinite(value))
      throw new Error(`--value: "${flags.value}" is not a finite number (e.g. 0.012)`);
    const time = /^\d+(\.\d+)?$/.test(flags.time) ? Number(flags.time) : flags.time;
    const point: MetricPoint = { metric: flags.metric, subject: flags.subject, time, value };
    if (flags.source !== undefined) point.source = flags.source;
    const client = openClient(flags, { maxRetries: parseRetries(flags.retries) });
    await runClient(async () => {
      const result = await client.sendMetrics([point]);
      const refused = result.rejected[0];
      if (refused) throw new Error(`${refused.error} [${refused.code}]`);
      process.stdout.write(
        `stored ${flags.metric} = ${value} for ${flags.subject}${flags.source ? ` / ${flags.source}` : ''}\n`,
      );
    });
  });
}
