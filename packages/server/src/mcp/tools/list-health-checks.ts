/**
 * list_health_checks (ours): the organization's HTTP health checks with where each stands (up,
 * down, unknown), a day's uptime and the last failure, paged by `limit` and `cursor` and fitted
 * to the answer budget (GET /api/v1/checks).
 */
import { z } from 'zod';
import { uptimeOf } from '../../checks/view.js';
import { HealthCheckRepository } from '../../store/health-checks.js';
import { clip, fitPrefix } from '../budget.js';
import { cursorParam, encodeCursor, limitParam, nextCursorSchema, offsetOf } from '../paging.js';
import type { SuggestedCall } from '../schemas.js';
import { defineTool } from '../tool.js';

const NAME = 'list_health_checks';
const STATUSES = ['up', 'down', 'unknown'] as const;
const LIMIT_DEFAULT = 25;
const LIMIT_MAX = 100;
/** URLs and failure reasons are cut to this in a listing; get_uptime shows one check whole. */
const TEXT_MAX = 200;

export const listHealthChecks = defineTool({
  name: NAME,
  title: 'Health checks',
  description:
    'The HTTP health checks this server runs (URL, environment, system), each with its status (up, down, unknown), the share of passing runs over the last day and the last failure. A check that goes down writes an `incident` event; use this to see what is failing now, then get_uptime for one check.',
  input: {
    status: z.enum(STATUSES).describe('Only checks in this status, e.g. "down".').optional(),
    limit: limitParam(LIMIT_MAX, LIMIT_DEFAULT, 'checks').optional(),
    cursor: cursorParam.optional(),
  },
  output: {
    count: z.number(),
    nextCursor: nextCursorSchema,
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
    const offset = offsetOf(NAME, args.cursor);
    const limit = args.limit ?? LIMIT_DEFAULT;
    const repo = new HealthCheckRepository(env.store.db);
    const rows = await repo.list(env.orgId, { limit: limit + 1, offset, status: args.status });
    const page = rows.slice(0, limit);
    const checks = await Promise.all(
      page.map(async (row) => ({
        id: row.id,
        name: row.name,
        url: clip(row.url, TEXT_MAX),
        subject: row.subject,
        source: row.source,
        status: row.status,
        paused: row.paused,
        uptimeDay: (await uptimeOf(repo, row.id, env.now)).day,
        lastError: row.lastError === null ? null : clip(row.lastError, TEXT_MAX),
        lastRunAt: row.lastRunAt === null ? null : new Date(row.lastRunAt).toISOString(),
      })),
    );
    const pct = (f: number | null) => (f === null ? 'no runs yet' : `${(f * 100).toFixed(2)}% up over a day`);
    const build = (shown: number) => {
      const listed = checks.slice(0, shown);
      const more = shown < checks.length || rows.length > limit;
      const nextCursor = more ? encodeCursor(NAME, { offset: offset + shown }) : null;
      const down = listed.filter((c) => c.status === 'down');
      const first = down[0] ?? listed[0];
      const next: SuggestedCall[] = [];
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
      if (nextCursor)
        next.push({ tool: NAME, arguments: { ...args, cursor: nextCursor }, reason: 'the next checks' });
      return {
        data: { count: listed.length, nextCursor, checks: listed },
        text:
          listed.length === 0
            ? args.status
              ? `No health check is ${args.status}.`
              : 'No health checks are set up (Settings -> Health checks, or POST /api/v1/checks).'
            : [
                `${listed.length}${nextCursor ? '+' : ''} health check${listed.length === 1 ? '' : 's'}${nextCursor ? ' (pass nextCursor for more)' : ''}:`,
                ...listed.map(
                  (c) =>
                    `- ${c.name} [${c.paused ? 'paused' : c.status}] ${c.source} in ${c.subject}, ${pct(c.uptimeDay)}${c.status === 'down' && c.lastError ? `: ${c.lastError}` : ''}`,
                ),
              ].join('\n'),
        next,
      };
    };
    return fitPrefix(checks.length, build).answer;
  },
});
