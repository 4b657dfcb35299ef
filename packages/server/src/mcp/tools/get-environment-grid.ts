/** get_environment_grid (ours): the source x subject grid, which version runs where, and drift. */
import { z } from 'zod';
import { buildGrid, DRIFT_KINDS, type GridCellInput } from '../../domain/grid.js';
import { toStoredEvent } from '../../store/events.js';
import type { SuggestedCall } from '../schemas.js';
import { defineTool } from '../tool.js';

const DEFAULT_DAYS = 30;

const cell = z.object({
  source: z.string(),
  subject: z.string(),
  type: z.string(),
  time: z.string(),
  severity: z.string().nullable(),
  version: z.string().nullable(),
  eventId: z.string(),
  latestVersion: z.string().nullable(),
  latestVersionTime: z.string().nullable(),
});

export const getEnvironmentGrid = defineTool({
  name: 'get_environment_grid',
  title: 'Environment grid',
  description:
    'The source x subject grid: for each system in each environment, the latest event (type, time, severity) and the latest version seen there. Shows which version runs where and where the environments of one ladder have drifted apart. Covers the cells with an event in the last `days` days.',
  input: {
    days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .describe(`Cells with an event in this many days are shown; default ${DEFAULT_DAYS}.`)
      .optional(),
  },
  output: {
    since: z.string(),
    sources: z.array(z.string()),
    subjects: z.array(z.string()),
    cells: z.array(cell),
    drift: z.array(
      z.object({
        source: z.string(),
        ladder: z.string(),
        kind: z.enum(DRIFT_KINDS),
        marks: z.array(z.object({ subject: z.string(), kind: z.enum(DRIFT_KINDS) })),
        versions: z.array(z.object({ subject: z.string(), version: z.string() })),
        summary: z.string(),
      }),
    ),
    naming: z.array(
      z.object({
        field: z.enum(['source', 'subject']),
        name: z.string(),
        spellings: z.array(z.object({ value: z.string(), count: z.number() })),
      }),
    ),
  },
  async run(args, env) {
    const since = env.now - (args.days ?? DEFAULT_DAYS) * 86_400_000;
    const { latest, versioned } = await env.store.events.gridCells(env.orgId, since);
    const key = (source: string, subject: string | null) => `${source}\u0000${subject}`;
    const versionByCell = new Map(versioned.map((r) => [key(r.source, r.subject), toStoredEvent(r)]));
    const cells: GridCellInput[] = latest.map((row) => {
      const e = toStoredEvent(row);
      const v = versionByCell.get(key(e.source, e.subject));
      return {
        source: e.source,
        subject: e.subject as string,
        type: e.type,
        time: e.time,
        severity: e.severity,
        version: e.version,
        eventId: e.id,
        latestVersion: v?.version ?? null,
        latestVersionTime: v?.time ?? null,
      };
    });
    const grid = buildGrid(cells);
    const next: SuggestedCall[] = grid.drift.slice(0, 2).map((d) => {
      const lowest = d.versions[0] as { version: string };
      return {
        tool: 'get_promotion_path',
        arguments: { version: lowest.version, source: d.source },
        reason: `${d.source} drifted (${d.summary}); see where ${lowest.version} went`,
      };
    });
    next.push({
      tool: 'query_events',
      arguments: { from: '-24h' },
      reason: 'the latest changes behind this picture',
    });
    const lines = grid.cells.map(
      (c) =>
        `${c.source} × ${c.subject}: ${c.type} at ${c.time}${c.severity ? ` [${c.severity}]` : ''}; version ${c.latestVersion ?? '-'}`,
    );
    return {
      data: { since: new Date(since).toISOString(), ...grid },
      text: `${grid.sources.length} source(s) × ${grid.subjects.length} subject(s) with events since ${new Date(since).toISOString()}:\n${lines.join('\n') || 'no events with a subject yet'}${
        grid.drift.length > 0
          ? `\nDrift:\n${grid.drift.map((d) => `- ${d.summary}`).join('\n')}`
          : '\nNo drift between environments.'
      }`,
      next: next.slice(0, 3),
    };
  },
});
