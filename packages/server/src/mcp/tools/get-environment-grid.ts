/** get_environment_grid (ours): the source x subject grid, which version runs where, and drift. */
import { z } from 'zod';
import { buildGrid, DRIFT_KINDS } from '../../domain/grid.js';
import { nameMatcher } from '../../domain/name-pattern.js';
import { gridCellInputs } from '../../store/grid-cells.js';
import { ANSWER_BYTES_MAX, fitPrefix, fits } from '../budget.js';
import { nearMiss } from '../names.js';
import { cursorParam, encodeCursor, limitParam, nextCursorSchema, offsetOf } from '../paging.js';
import { type SuggestedCall, sourceParam, subjectParam } from '../schemas.js';
import { defineTool } from '../tool.js';

const NAME = 'get_environment_grid';
const DEFAULT_DAYS = 30;
const CELLS_DEFAULT = 200;
const CELLS_MAX = 1_000;

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
  name: NAME,
  title: 'Environment grid',
  description: [
    'Show which version runs where: the source x subject grid, each cell with its latest event (type, time, severity) and the latest version deployed there, and the drift between the environments of one ladder (staging ahead of production, a version never promoted, two environments on different versions).',
    'Use it for "what runs in production?" or "is staging ahead?"; for how one version moved, use get_promotion_path; for the events, query_events.',
    'subject and source narrow the grid, in any case, with "*" patterns ("*-PRODUCTION", "BRAND-A-*").',
    'Limits: cells with an event in the last `days` days (default 30); limit cells per page (1-1000, default 200) with nextCursor. A grid too big for the answer budget (about 20,000 tokens) leads with its totals, shows the drift and as many cells as fit, and says so.',
  ].join(' '),
  input: {
    days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .describe(`Cells with an event in this many days are shown; default ${DEFAULT_DAYS}.`)
      .optional(),
    subject: subjectParam
      .describe('Only these environments: a name or a pattern such as "*-PRODUCTION".')
      .optional(),
    source: sourceParam.describe('Only these systems: a name or a pattern such as "payments-*".').optional(),
    limit: limitParam(CELLS_MAX, CELLS_DEFAULT, 'cells').optional(),
    cursor: cursorParam.optional(),
  },
  output: {
    since: z.string(),
    totals: z.object({
      cells: z.number(),
      sources: z.number(),
      subjects: z.number(),
      drift: z.number(),
    }),
    summarized: z
      .boolean()
      .describe('True when the grid did not fit the answer budget: only part of it is shown.'),
    nextCursor: nextCursorSchema,
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
    const cells = await gridCellInputs(env.store.events, env.orgId, since);
    const grid = buildGrid(cells);
    const subjectOk = args.subject ? nameMatcher(args.subject) : () => true;
    const sourceOk = args.source ? nameMatcher(args.source) : () => true;
    const inView = grid.cells.filter((c) => subjectOk(c.subject) && sourceOk(c.source));
    const drift = grid.drift.filter(
      (d) => sourceOk(d.source) && d.versions.some((v) => subjectOk(v.subject)),
    );
    const offset = offsetOf(NAME, args.cursor);
    const page = inView.slice(offset, offset + (args.limit ?? CELLS_DEFAULT));
    const axis = (values: string[], order: string[]) => order.filter((v) => values.includes(v));
    const totals = {
      cells: inView.length,
      sources: new Set(inView.map((c) => c.source)).size,
      subjects: new Set(inView.map((c) => c.subject)).size,
      drift: drift.length,
    };
    const sinceIso = new Date(since).toISOString();
    const near =
      inView.length === 0 && (args.subject || args.source)
        ? await nearMiss(env, { subject: args.subject, source: args.source })
        : null;

    const build = (shownCells: number, shownDrift: number, summarized: boolean) => {
      const shown = page.slice(0, shownCells);
      const drifts = drift.slice(0, shownDrift);
      const end = offset + shownCells;
      const nextCursor = end < inView.length ? encodeCursor(NAME, { offset: end }) : null;
      const next: SuggestedCall[] = drifts.slice(0, 2).map((d) => {
        const lowest = d.versions[0] as { version: string };
        return {
          tool: 'get_promotion_path',
          arguments: { version: lowest.version, source: d.source },
          reason: `${d.source} drifted (${d.summary}); see where ${lowest.version} went`,
        };
      });
      if (nextCursor)
        next.push({
          tool: NAME,
          arguments: { ...args, cursor: nextCursor },
          reason: 'the next cells of the grid',
        });
      next.push({
        tool: 'query_events',
        arguments: { from: '-24h', ...(args.subject ? { subject: args.subject } : {}) },
        reason: 'the latest changes behind this picture',
      });
      const lines = shown.map(
        (c) =>
          `${c.source} × ${c.subject}: ${c.type} at ${c.time}${c.severity ? ` [${c.severity}]` : ''}; version ${c.latestVersion ?? '-'}`,
      );
      const head = summarized
        ? `Summarized to fit the answer budget: ${totals.cells} cells (${totals.sources} source(s) × ${totals.subjects} subject(s)) with events since ${sinceIso}, ${totals.drift} drift(s). Shown: ${drifts.length} drift(s), cells ${shown.length === 0 ? 'none' : `${offset + 1}-${end}`}${nextCursor ? '; pass nextCursor for more cells' : ''}; narrow with subject or source.`
        : `${totals.sources} source(s) × ${totals.subjects} subject(s) with events since ${sinceIso}${nextCursor ? ` (cells ${offset + 1}-${end} of ${totals.cells}; pass nextCursor for more)` : ''}:`;
      const driftText =
        drifts.length > 0
          ? `Drift:\n${drifts.map((d) => `- ${d.summary}`).join('\n')}`
          : drift.length > 0
            ? ''
            : 'No drift between environments.';
      return {
        data: {
          since: sinceIso,
          totals,
          summarized,
          nextCursor,
          sources: axis(
            shown.map((c) => c.source),
            grid.sources,
          ),
          subjects: axis(
            shown.map((c) => c.subject),
            grid.subjects,
          ),
          cells: shown,
          drift: drifts,
          naming: summarized ? grid.naming.slice(0, 20) : grid.naming,
        },
        text: [near, head, lines.join('\n') || 'no events with a subject yet', driftText]
          .filter((line) => line)
          .join('\n'),
        next: next.slice(0, 3),
      };
    };
    const whole = build(page.length, drift.length, false);
    if (fits(whole)) return whole;
    // Drift first (the reason to look), up to half the budget; then as many cells as fit.
    const driftShown = fitPrefix(drift.length, (n) => build(0, n, true), ANSWER_BYTES_MAX / 2).shown;
    return fitPrefix(page.length, (n) => build(n, driftShown, true)).answer;
  },
});
