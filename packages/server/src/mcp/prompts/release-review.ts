/** release-review: what went out today and how it did. */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { callArgs, completing, type PromptEnv, text } from './arguments.js';

export function registerReleaseReview(server: McpServer, env: PromptEnv): void {
  server.registerPrompt(
    'release-review',
    {
      title: 'Release review',
      description:
        'What went out today (to a subject, of a source or a version) and how each release did: the metrics before and after, drift between environments, guardrails broken.',
      argsSchema: z.object({
        subject: completing(env, 'subject', 'The environment to review; default PRODUCTION.').optional(),
        source: completing(env, 'source', 'Only this system, e.g. BE.').optional(),
        version: completing(env, 'version', 'Only this release, e.g. 2.5.0.').optional(),
      }),
    },
    ({ subject, source, version }) => {
      const where = subject ?? 'PRODUCTION';
      const query = callArgs({ from: '-24h', subject: where, source, search: version });
      return {
        description: `Release review of ${where}${source ? ` (${source})` : ''}${version ? ` ${version}` : ''}`,
        messages: [
          text(
            [
              `Review what went out to ${where} today${source ? ` from ${source}` : ''}${version ? `, version ${version}` : ''}, using the OpsTrails tools.`,
              `1. Call query_events ${query} and keep the deployments, rollbacks, migrations and config changes of today (UTC).`,
              '2. For each release, call get_metrics_around_event with its eventId: did anything get worse after it?',
              '3. Call get_environment_grid to show which version now runs where and whether environments drifted apart.',
              '4. Call list_guardrail_violations with from "-24h" for any freeze window or deployment policy broken today.',
              'Answer compactly: one line per release (time, source, version, verdict), then what got worse and the likely culprit, then drift and guardrails. Say "nothing went out today" when nothing did.',
            ].join('\n'),
          ),
        ],
      };
    },
  );
}
