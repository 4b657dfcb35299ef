/**
 * GET /api/v1/events/facets: for the feed's current filters, the number of matching events and
 * the most frequent types, sources, subjects and severities with their counts. Each facet is
 * counted without its own filter (the other filters and the range still apply), so it lists the
 * values one could switch to, as event explorers do.
 */
import type { FastifyInstance } from 'fastify';
import type { EventFilter } from '../../../../store/events.js';
import type { AppContext } from '../../../context.js';
import { ok } from '../../../envelope.js';
import { requireScope } from '../../../plugins/auth.js';
import { parseFilter, type Query } from './query.js';

/** Values listed per facet; the rest is summed into `others` (a feed of 4,000 subjects stays one screen). */
const FACET_VALUES_MAX = 12;

const FACETS = [
  { name: 'type', column: 'type', own: 'types' },
  { name: 'source', column: 'source', own: 'sources' },
  { name: 'subject', column: 'subject', own: 'subjects' },
  { name: 'severity', column: 'severity', own: 'severities' },
] as const;

export interface Facet {
  values: { value: string; count: number }[];
  /** Matching events whose value is not among `values`. */
  others: number;
}

export function registerEventFacets(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/events/facets', { preHandler: requireScope(ctx.keys, 'READ_ONLY') }, async (request) => {
    const orgId = request.grant?.orgId as string;
    const filter = parseFilter(request.query as Query, []);
    const facets = await Promise.all(
      FACETS.map(async ({ column, own }) => {
        const rest: EventFilter = { ...filter, [own]: undefined };
        const counts = await ctx.store.events.countMatching(orgId, column, rest);
        const values = counts.slice(0, FACET_VALUES_MAX);
        const others = counts.slice(FACET_VALUES_MAX).reduce((sum, c) => sum + c.count, 0);
        return { values, others } satisfies Facet;
      }),
    );
    // Every event has a type: without a type filter the type facet already counts every match.
    const sum = (counts: { count: number }[]) => counts.reduce((total, c) => total + c.count, 0);
    const [types] = facets;
    const total = filter.types?.length
      ? sum(await ctx.store.events.countMatching(orgId, 'type', filter))
      : sum(types?.values ?? []) + (types?.others ?? 0);
    return ok({
      total,
      type: facets[0],
      source: facets[1],
      subject: facets[2],
      severity: facets[3],
    });
  });
}
