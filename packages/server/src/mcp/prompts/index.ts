/** The prompts: the moments users come with (an incident, a release day, the week's report). */
import type { McpServer } from '@modelcontextprotocol/server';
import type { PromptEnv } from './arguments.js';
import { registerIncidentTriage } from './incident-triage.js';
import { registerReleaseReview } from './release-review.js';
import { registerWeeklyChangeReport } from './weekly-change-report.js';

export type { PromptEnv };

export function registerPrompts(server: McpServer, env: PromptEnv): void {
  registerIncidentTriage(server, env);
  registerReleaseReview(server, env);
  registerWeeklyChangeReport(server, env);
}
