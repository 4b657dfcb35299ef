/**
 * list_health_checks (ours): the organization's HTTP health checks with where each stands (up,
 * down, unknown), a day's uptime and the last failure, a page at a time (GET /api/v1/checks).
 */
import { z } from 'zod';
import { cursorOf, parseCursor, uptimeOf } from '../../checks/view.js';
import { HealthCheckRepository } from '../../store/health-checks.js';
import type { SuggestedCall } from '../schemas.js';
import { defineTool, ToolInputError } from '../tool.js';

const STATUSES = ['up', 'down', 'unknown'] as const;

export const listHealthChecks = defineTool({
  name: 'list_health_checks',
  title: 'Health checks',
  description:
    'The HTTP health checks this server runs (URL, environment, system), each with its status (up, down, unknown), the share of passing runs over the last day and the last failure. A check that goes down writes an `incident` event; use this to see what is failing now, then get_uptime for one check.',
  input: {
    status: z.enum(STATUSES).describe('Only checks in this status, e.g. "down".').optional(),
    limit: z.number().int().min(1).max(100).describe('How many (1-100, default 25).').optional(),
    cursor: z.string().describe('The nextCursor of the previous answer, for the next page.').optional(),
  },
  output: {
    count: z.number(),
    nextCursor: z.string().nullable(),
    checks: z.array(
      z.object({
        id: z.string(),
        name: z.string(),
        url: z.string(),
        subject: z.string(),
        source: z.string(),
        status: z.string(),
        paused: z.boolean(),
        uptimeDay: z.number().nullable(),
        lastError: z.string().nullable(),
        lastRunAt: z.string().nullable(),
      }),
    ),
  },
  async run(args, env) {
    const after = args.cursor === undefined ? undefined : parseCursor(args.cursor);
    if (after === null)
      throw new ToolInputError('cursor: pass the nextCursor of the previous answer unchanged');
    const limit = args.limit ?? 25;
    const repo = new HealthCheckRepository(env.store.db);
    const rows = await repo.list(env.orgId, { limit: limit + 1, after, status: args.status });
    const page = rows.slice(0, limit);
    const checks = await Promise.all(
      page.map(async (row) => ({
        id: row.id,
        name: row.name,
        url: row.url,
        subject: row.subject,
        source: row.source,
        status: row.status,
        paused: row.paused,
        uptimeDay: (await uptimeOf(repo, row.id, env.now)).day,
        lastError: row.lastError,
        lastRunAt: row.lastRunAt === null ? null : new Date(row.lastRunAt).toISOString(),
      })),
    );
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last ? cursorOf(last) : null;
    const down = checks.filter((c) => c.status === 'down');
    const next: SuggestedCall[] = [];
    const first = down[0] ?? checks[0];
    if (first)
      next.push({
        tool: 'get_uptime',
        arguments: { check: first.id },
        reason: `uptime and recent response times of "${first.name}"`,
      });
    if (down[0])
      next.push({
        tool: 'query_events',
        arguments: { type: 'incident', subject: down[0].subject, from: '-1d' },
        reason: `the incident "${down[0].name}" opened, with others in ${down[0].subject}`,
      });
    const pct = (f: number | null) => (f === null ? 'no runs yet' : `${(f * 100).toFixed(2)}% up over a day`);
    return {
      data: { count: checks.length, nextCursor, checks },
      text:
        checks.length === 0
          ? args.status
            ? `No health check is ${args.status}.`
            : 'No health checks are set up (Settings -> Health checks, or POST /api/v1/checks).'
          : [
              `${checks.length}${nextCursor ? '+' : ''} health check${checks.length === 1 ? '' : 's'}:`,
              ...checks.map(
                (c) =>
                  `- ${c.name} [${c.paused ? 'paused' : c.status}] ${c.source} in ${c.subject}, ${pct(c.uptimeDay)}${c.status === 'down' && c.lastError ? `: ${c.lastError}` : ''}`,
              ),
            ].join('\n'),
      next,
    };
  },
});
