/** incident-triage: what changed before a moment on a subject, and what its impact was. */
import type { McpServer } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { callArgs, completing, type PromptEnv, text } from './arguments.js';

export function registerIncidentTriage(server: McpServer, env: PromptEnv): void {
  server.registerPrompt(
    'incident-triage',
    {
      title: 'Incident triage',
      description:
        'Something broke on a subject at a time (or with an incident event): what changed just before it, which change most likely caused it, and what its impact was.',
      argsSchema: z.object({
        subject: completing(env, 'subject', 'The environment where it broke, e.g. PRODUCTION.'),
        time: z
          .string()
          .describe('When it started: ISO 8601 ("2026-11-14T02:10:00Z") or relative ("-30m"); default now.')
          .optional(),
        event_id: completing(
          env,
          'event_id',
          'The incident event, when there is one (instead of time).',
        ).optional(),
      }),
    },
    ({ subject, time, event_id }) => {
      const moment = event_id ? `the incident event ${event_id}` : time ? `${time}` : 'now';
      const changed = event_id ? callArgs({ eventId: event_id }) : callArgs({ time: time ?? 'now', subject });
      return {
        description: `Triage of ${subject} at ${moment}`,
        messages: [
          text(
            [
              `Triage an incident on ${subject} at ${moment}, using the OpsTrails tools.`,
              `1. Call what_changed ${changed} to rank the changes before it, with the reasons for each rank.`,
              '2. For the top one or two changes, call get_metrics_around_event with their eventId to see what each did to the metrics of the subject.',
              '3. If versions are involved, call get_promotion_path for the suspect version and source to see whether it skipped an environment.',
              'Answer in a few lines: the most likely cause (event id, type, source, version, time), the evidence (rank reasons, metric verdicts), the other candidates, and what to check or roll back first. Say plainly when the data does not point to a cause.',
            ].join('\n'),
          ),
        ],
      };
    },
  );
}
