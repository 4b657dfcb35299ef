/** The shape shared by list_event_types, list_event_sources and list_event_subjects. */
import { z } from 'zod';
import type { SuggestedCall } from '../schemas.js';
import { defineTool, type Tool } from '../tool.js';

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
    input: {},
    output: {
      values: z.array(z.object({ name: z.string(), count: z.number(), lastSeen: z.string() })),
    },
    async run(_args, env) {
      const values = (await env.store.events.countBy(env.orgId, spec.column)).map((r) => ({
        name: r.value,
        count: r.count,
        lastSeen: r.lastSeen,
      }));
      const top = values[0];
      return {
        data: { values },
        text:
          values.length === 0
            ? `no ${spec.plural} yet: no events have been sent`
            : `${values.length} ${spec.plural}:\n${values.map((v) => `${v.name}: ${v.count} (last ${v.lastSeen})`).join('\n')}`,
        next: top
          ? [spec.next(top.name)]
          : [{ tool: 'get_organization_context', arguments: {}, reason: 'how this organization is set up' }],
      };
    },
  });
}
