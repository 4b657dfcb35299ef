/** get_organization_context: business context, plan limits, retention, quota use, field guide, vocabulary. */
import { z } from 'zod';
import { metricsFor } from '../../integrations/series.js';
import { renderInstructions } from '../instructions.js';
import { defineTool } from '../tool.js';

const seen = z.array(z.object({ name: z.string(), count: z.number(), lastSeen: z.string() }));
const limitValue = z.number().nullable();
/** Subjects whose metrics are listed: the ones seen, most active first. */
const METRIC_SUBJECTS_MAX = 50;

export const getOrganizationContext = defineTool({
  name: 'get_organization_context',
  title: 'Organization context',
  description: [
    'Call this first in a conversation: how this organization works and what its names mean.',
    "Returns the business context (what its subjects, sources and types stand for, rules such as deploy windows or coupled systems; a TEMPLATE when none was written, which is not fact), plan limits, retention, this month's quota use, what each event field means, and the most used subjects, sources and types with counts.",
    'Use list_event_subjects, list_event_sources or list_event_types for the full lists.',
  ].join(' '),
  input: {},
  output: {
    organization: z.object({ id: z.string(), slug: z.string(), name: z.string(), plan: z.string() }),
    businessContext: z.object({
      text: z.string(),
      isTemplate: z.boolean(),
      updatedAt: z.string().nullable(),
    }),
    limits: z.record(z.string(), limitValue),
    retention: z.string(),
    usage: z.object({
      month: z.string(),
      mcpCalls: z.number(),
      mcpCallsLimit: limitValue,
      events: z.number(),
      eventsLimit: limitValue,
      resetsOn: z.string(),
    }),
    fields: z.record(z.string(), z.string()),
    seen: z.object({ subjects: seen, sources: seen, types: seen }),
    metrics: z.array(
      z.object({
        subject: z.string(),
        metrics: z.array(
          z.object({
            name: z.string(),
            source: z.string().nullable(),
            provider: z.string(),
            direction: z.string(),
            unit: z.string().nullable(),
          }),
        ),
      }),
    ),
  },
  async run(_args, env) {
    const overview = await env.overviews.get(env.orgId, env.now);
    const production = overview.seen.subjects.find((s) => /PROD/i.test(s.name))?.name;
    // What get_metrics_around_event would compare on each subject (pushed points and mappings).
    const metrics = (
      await Promise.all(
        overview.seen.subjects.slice(0, METRIC_SUBJECTS_MAX).map(async ({ name }) => ({
          subject: name,
          metrics: (
            await metricsFor(env.store, env.orgId, name, null)
          ).map((m) => ({
            name: m.metric,
            source: m.source,
            provider: m.provider,
            direction: m.direction,
            unit: m.unit,
          })),
        })),
      )
    ).filter((s) => s.metrics.length > 0);
    const metricLines = metrics.map(
      (s) =>
        `- ${s.subject}: ${s.metrics.map((m) => `${m.name} (${m.provider}, ${m.direction})`).join(', ')}`,
    );
    return {
      data: { ...overview, metrics },
      text: `${renderInstructions(overview)}\n\nMetrics per subject (compared around events by get_metrics_around_event):\n${
        metricLines.length > 0 ? metricLines.join('\n') : '- none: no points pushed and no metric mapped'
      }`,
      next: [
        {
          tool: 'query_events',
          arguments: production ? { from: '-24h', subject: production } : { from: '-24h' },
          reason: production
            ? `what happened in ${production} in the last day`
            : 'what happened in the last day',
        },
        {
          tool: 'get_environment_grid',
          arguments: {},
          reason: 'which version runs where, and where environments drifted apart',
        },
      ],
    };
  },
});
