/** get_promotion_path (ours): when a version reached each subject, in order, and which ladder rung it skipped. */
import { z } from 'zod';
import { promotionPath } from '../../domain/promotion.js';
import { toStoredEvent } from '../../store/events.js';
import { type SuggestedCall, sourceParam } from '../schemas.js';
import { defineTool, ToolInputError } from '../tool.js';

/** More events of one version than any promotion has; the answer says when it was cut. */
const EVENTS_MAX = 1_000;

export const getPromotionPath = defineTool({
  name: 'get_promotion_path',
  title: 'Promotion path of a version',
  description: [
    'Trace one version through the environments: when it first reached each subject, in order, and which step of the ladder (DEVELOPMENT → TEST → STAGING → PRODUCTION, per brand or region prefix) it skipped on the way.',
    'Use it for "did 2.5.0 go through staging?" or after what_changed or get_environment_grid names a version; use get_environment_grid for what runs where now.',
    'Returns the steps (subject, time, event) and the skipped rungs. Give source when several systems share version numbers.',
  ].join(' '),
  input: {
    version: z.string().min(1).describe('The version or build id, exact (e.g. "2.4.1").'),
    source: sourceParam
      .describe("Only this source's events (recommended: versions are often per system).")
      .optional(),
  },
  output: {
    version: z.string(),
    source: z.string().nullable(),
    steps: z.array(
      z.object({
        subject: z.string(),
        firstReached: z.string(),
        source: z.string(),
        type: z.string(),
        eventId: z.string(),
        rung: z.string().nullable(),
      }),
    ),
    skipped: z.array(z.object({ subject: z.string(), skipped: z.array(z.string()), summary: z.string() })),
    eventsRead: z.number(),
    truncated: z.boolean(),
  },
  async run(args, env) {
    const [rows, seen] = await Promise.all([
      env.store.events.byVersion(env.orgId, args.version, args.source, EVENTS_MAX + 1),
      env.overviews.seen(env.orgId, env.now),
    ]);
    if (rows.length === 0)
      throw new ToolInputError(
        `no event carries version "${args.version}"${args.source ? ` from source "${args.source}"` : ''}; find versions with query_events (search) or get_environment_grid`,
      );
    const events = rows.slice(0, EVENTS_MAX).map(toStoredEvent);
    const path = promotionPath(
      events,
      seen.subjects.map((s) => s.name),
    );
    const next: SuggestedCall[] = [];
    const flagged = path.skipped[0];
    const landed =
      path.steps.find((s) => s.subject === flagged?.subject) ?? path.steps[path.steps.length - 1];
    if (landed)
      next.push({
        tool: 'what_changed',
        arguments: {
          time: landed.firstReached,
          subject: landed.subject,
          source: landed.source,
          window: '2h',
        },
        reason: `what else changed around ${args.version} reaching ${landed.subject}`,
      });
    next.push({ tool: 'get_environment_grid', arguments: {}, reason: 'which version runs where now' });
    return {
      data: {
        version: args.version,
        source: args.source ?? null,
        steps: path.steps,
        skipped: path.skipped,
        eventsRead: events.length,
        truncated: rows.length > EVENTS_MAX,
      },
      text: [
        `Version ${args.version}${args.source ? ` of ${args.source}` : ''} reached:`,
        ...path.steps.map(
          (s, i) => `${i + 1}. ${s.subject} at ${s.firstReached} (${s.type} from ${s.source})`,
        ),
        path.skipped.length > 0
          ? `Skipped: ${path.skipped.map((s) => s.summary).join('; ')}`
          : 'No rung of the environment ladder was skipped.',
      ].join('\n'),
      next,
    };
  },
});
