/** weekly-change-report: the past week's changes, their effects and the delivery metrics. */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { callArgs, completing, type PromptEnv, text } from './arguments.js';

export function registerWeeklyChangeReport(server: McpServer, env: PromptEnv): void {
  server.registerPrompt(
    'weekly-change-report',
    {
      title: 'Weekly change report',
      description:
        'A report of the last seven days: what changed where, what went wrong after a change, the delivery metrics (DORA) and the guardrails broken.',
      argsSchema: z.object({
        subject: completing(env, 'subject', 'Only this environment, e.g. PRODUCTION.').optional(),
        source: completing(env, 'source', 'Only this system, e.g. BE.').optional(),
        type: completing(env, 'type', 'Only this event type, e.g. deployment.').optional(),
      }),
    },
    ({ subject, source, type }) => {
      const scope = [subject, source, type].filter(Boolean).join(', ');
      return {
        description: `Weekly change report${scope ? ` (${scope})` : ''}`,
        messages: [
          text(
            [
              `Write the weekly change report${scope ? ` for ${scope}` : ''} from OpsTrails.`,
              '1. Call get_event_summary {"from": "-7d"} for the counts by type.',
              `2. Call query_events ${callArgs({ from: '-7d', subject, source, type })} for the changes themselves; page with nextCursor when it says more exist.`,
              '3. Call get_dora_metrics for deployment frequency, lead time, change failure rate and time to restore over the week.',
              '4. Call list_guardrail_violations {"from": "-7d"} for the freeze windows and policies broken.',
              '5. For every incident, call what_changed with its eventId for the likely cause.',
              'Report in sections: Summary (three lines), Changes by environment, Incidents and their likely causes, Delivery metrics, Guardrails. Keep it to what the data shows.',
            ].join('\n'),
          ),
        ],
      };
    },
  );
}
