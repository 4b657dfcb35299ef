/** `opstrails metrics send|import`: pushing metric points to the metric store. */
import type { Command } from 'commander';
import { registerMetricsImport } from './metrics-import.js';
import { registerMetricsSend } from './metrics-send.js';

export function registerMetrics(program: Command): void {
  const metrics = program
    .command('metrics')
    .description(
      'Push metric points (error rates, latencies, ...) that impact analysis compares around events.',
    )
    .addHelpText(
      'after',
      '\nExample:\n  $ opstrails metrics send --metric error_rate --subject PRODUCTION --value 0.012',
    );
  registerMetricsSend(metrics);
  registerMetricsImport(metrics);
}
