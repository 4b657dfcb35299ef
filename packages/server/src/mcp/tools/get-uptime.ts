/**
 * get_uptime (ours): one health check's uptime over the last day and week (fractions of passing
 * runs), its mean response time, and its most recent runs (GET /api/v1/checks/{id}).
 */
import { z } from 'zod';
import { historyView, uptimeOf } from '../../checks/view.js';
import { type CheckRow, HealthCheckRepository } from '../../store/health-checks.js';
import type { SuggestedCall } from '../schemas.js';
import { defineTool, ToolInputError } from '../tool.js';

const DAY_MS = 86_400_000;

/** The check by id, or else by its name (any case); list_health_checks gives both. */
async function findCheck(repo: HealthCheckRepository, orgId: string, check: string): Promise<CheckRow> {
  const byId = await repo.get(orgId, check);
  if (byId) return byId;
  const all = await repo.list(orgId, { limit: 1000 });
  const byName = all.filter((c) => c.name.toLowerCase() === check.toLowerCase());
  if (byName.length === 1) return byName[0] as CheckRow;
  throw new ToolInputError(
    byName.length > 1
      ? `check: ${byName.length} checks are named "${check}"; pass one's id (see list_health_checks)`
      : `check: no health check has the id or name "${check}"; list_health_checks lists them`,
  );
}

export const getUptime = defineTool({
  name: 'get_uptime',
  title: 'Uptime of a health check',
  description:
    "One HTTP health check's uptime over the last day and week (fractions of passing runs), the mean response time of passing runs, whether an incident is open (its correlationid links the incident event and its resolution), and its most recent runs with HTTP status and milliseconds.",
  input: {
    check: z.string().min(1).describe('The check: its id or its name, as list_health_checks gives them.'),
    limit: z.number().int().min(1).max(50).describe('How many recent runs (1-50, default 10).').optional(),
  },
  output: {
    id: z.string(),
    name: z.string(),
    url: z.string(),
    subject: z.string(),
    source: z.string(),
    status: z.string(),
    paused: z.boolean(),
    incident: z.string().nullable(),
    lastError: z.string().nullable(),
    uptime: z.object({ day: z.number().nullable(), week: z.number().nullable() }),
    meanMs: z.object({ day: z.number().nullable(), week: z.number().nullable() }),
    runs: z.object({ day: z.number(), week: z.number() }),
    recent: z.array(z.object({ time: z.string(), ok: z.boolean(), status: z.number(), ms: z.number() })),
  },
  async run(args, env) {
    const repo = new HealthCheckRepository(env.store.db);
    const check = await findCheck(repo, env.orgId, args.check);
    const [uptime, recent] = await Promise.all([
      uptimeOf(repo, check.id, env.now),
      repo.history(check.id, env.now - 7 * DAY_MS, args.limit ?? 10),
    ]);
    const next: SuggestedCall[] = [];
    if (check.incident)
      next.push({
        tool: 'what_changed',
        arguments: {
          time: new Date(Number(check.incident.split(':').pop())).toISOString(),
          subject: check.subject,
        },
        reason: `what changed in ${check.subject} before "${check.name}" went down`,
      });
    else
      next.push({
        tool: 'query_events',
        arguments: { type: 'incident', source: check.source, from: '-7d' },
        reason: `past incidents of ${check.source}`,
      });
    const pct = (f: number | null) => (f === null ? 'no runs' : `${(f * 100).toFixed(2)}%`);
    const ms = (m: number | null) => (m === null ? 'n/a' : `${m} ms`);
    return {
      data: {
        id: check.id,
        name: check.name,
        url: check.url,
        subject: check.subject,
        source: check.source,
        status: check.status,
        paused: check.paused,
        incident: check.incident,
        lastError: check.lastError,
        uptime: { day: uptime.day, week: uptime.week },
        meanMs: uptime.meanMs,
        runs: uptime.runs,
        recent: historyView(recent),
      },
      text: [
        `${check.name} (${check.method} ${check.url}) is ${check.paused ? 'paused' : check.status}${check.incident ? `, incident ${check.incident} open` : ''}${check.lastError ? `; last failure: ${check.lastError}` : ''}.`,
        `Uptime: ${pct(uptime.day)} over a day (${uptime.runs.day} runs), ${pct(uptime.week)} over a week; mean response ${ms(uptime.meanMs.day)} (day), ${ms(uptime.meanMs.week)} (week).`,
        recent.length > 0
          ? `Recent: ${recent.map((r) => `${new Date(r.at).toISOString().slice(11, 19)} ${r.ok ? 'ok' : 'FAIL'} ${r.status || '-'} ${r.ms}ms`).join(', ')}`
          : 'No runs yet.',
      ].join('\n'),
      next,
    };
  },
});
