/** get_organization_context: business context, plan limits, retention, quota use, field guide, vocabulary. */
import { z } from 'zod';
import { renderInstructions } from '../instructions.js';
import { defineTool } from '../tool.js';

const seen = z.array(z.object({ name: z.string(), count: z.number(), lastSeen: z.string() }));
const limitValue = z.number().nullable();

export const getOrganizationContext = defineTool({
  name: 'get_organization_context',
  title: 'Organization context',
  description:
    "Call this first. The organization's business context (what its subjects, sources and types mean, its rules such as deploy windows), plan limits, retention, this month's quota use, what each event field means, and the subjects, sources and types seen.",
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
  },
  async run(_args, env) {
    const overview = await env.overviews.get(env.orgId, env.now);
    const production = overview.seen.subjects.find((s) => /PROD/i.test(s.name))?.name;
    return {
      data: overview,
      text: renderInstructions(overview),
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
