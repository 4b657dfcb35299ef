/**
 * The shape shared by list_event_types, list_event_sources and list_event_subjects: the values
 * most frequent first, paged by `limit` and `cursor` and fitted to the answer budget.
 */
import { z } from 'zod';
import { fitPrefix } from '../budget.js';
import { cursorParam, encodeCursor, limitParam, nextCursorSchema, offsetOf } from '../paging.js';
import type { SuggestedCall } from '../schemas.js';
import { defineTool, type Tool } from '../tool.js';

const LIMIT_DEFAULT = 100;
const LIMIT_MAX = 1_000;

interface ListSpec {
  name: string;
  column: 'type' | 'source' | 'subject';
  plural: 'types' | 'sources' | 'subjects';
  description: string;
  next(top: string): SuggestedCall;
}

export function listTool(spec: ListSpec): Tool {
  return defineTool({
    name: spec.name,
    title: `Event ${spec.plural}`,
    description: spec.description,
    input: {
      limit: limitParam(LIMIT_MAX, LIMIT_DEFAULT, spec.plural).optional(),
      cursor: cursorParam.optional(),
    },
    output: {
      total: z.number().describe(`How many ${spec.plural} there are in all.`),
      values: z.array(z.object({ name: z.string(), count: z.number(), lastSeen: z.string() })),
      nextCursor: nextCursorSchema,
    },
    async run(args, env) {
      const offset = offsetOf(spec.name, args.cursor);
      const all = (await env.store.events.countBy(env.orgId, spec.column)).map((r) => ({
        name: r.value,
        count: r.count,
        lastSeen: r.lastSeen,
      }));
      const page = all.slice(offset, offset + (args.limit ?? LIMIT_DEFAULT));
      const build = (shown: number) => {
        const values = page.slice(0, shown);
        const end = offset + shown;
        const nextCursor = end < all.length ? encodeCursor(spec.name, { offset: end }) : null;
        const top = all[0];
        const next: SuggestedCall[] = top
          ? [spec.next(top.name)]
          : [{ tool: 'get_organization_context', arguments: {}, reason: 'how this organization is set up' }];
        if (nextCursor)
          next.push({
            tool: spec.name,
            arguments: { ...args, cursor: nextCursor },
            reason: `the next ${spec.plural}, less frequent`,
          });
        const range =
          all.length === 0
            ? ''
            : ` (${offset + 1}-${end} of ${all.length}, most frequent first${nextCursor ? '; pass nextCursor for more' : ''})`;
        return {
          data: { total: all.length, values, nextCursor },
          text:
            all.length === 0
              ? `no ${spec.plural} yet: no events have been sent`
              : `${all.length} ${spec.plural}${range}:\n${values.map((v) => `${v.name}: ${v.count} (last ${v.lastSeen})`).join('\n')}`,
          next,
        };
      };
      return fitPrefix(page.length, build).answer;
    },
  });
}
