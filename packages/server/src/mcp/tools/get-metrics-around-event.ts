/**
 * get_metrics_around_event (contract section 4): each metric of the subject (pushed points or a
 * mapped provider) compared before and after an event or a moment, judged by the published
 * method (docs/impact.md) exactly as GET /api/v1/events/{id}/impact answers. A regression
 * suggests what_changed around it and the overlapping events; with no metric mapped the tool
 * says so and how to connect one, and never makes up numbers.
 */
import { z } from 'zod';
import { DEFAULT_WINDOW, WINDOW_NAMES } from '../../domain/impact/windows.js';
import { assessImpact } from '../../impact/assess.js';
import { checkTimezone, parseTimeArg } from '../arguments.js';
import { subjectParam, timezoneParam } from '../schemas.js';
import { defineTool, ToolInputError } from '../tool.js';
import { findEvent } from './find-event.js';

const HOW_TO_CONNECT =
  'Metrics come from points pushed to POST /api/v1/metrics/webhook or from an analytics integration (Prometheus, Datadog, Sentry, New Relic, Google Analytics 4, Adobe Analytics) whose metrics are mapped to subjects. Until one is, compare the metric in your monitoring tool over the windows below, and use what_changed to see which events preceded the change.';

const range = z.object({ from: z.string(), to: z.string() });

export const getMetricsAroundEvent = defineTool({
  name: 'get_metrics_around_event',
  title: 'Metrics around an event',
  description: [
    'Judge the impact of an event: each metric of its subject compared in the window before and after (Mann-Whitney U test, Hodges-Lehmann shift, Holm-adjusted p-values, an effect floor, a time-of-day baseline).',
    'Use it for "did this deploy make things worse?", after query_events or what_changed found the event. Give eventId, or time plus subject.',
    'Returns per metric a verdict (regressed, improved, changed, no_significant_change, not_enough_data) with a sentence to repeat, and the other events on the subject in that time; says so when no metric is mapped for the subject.',
  ].join(' '),
  input: {
    eventId: z.string().describe('The event to look around (from query_events).').optional(),
    source: z.string().describe('Only needed when several sources used the same eventId.').optional(),
    time: z.string().describe('A moment instead of an event: ISO 8601 or relative ("-1h").').optional(),
    window: z
      .string()
      .describe(`Length of each window: ${WINDOW_NAMES.join(', ')} (default 2h).`)
      .optional(),
    subject: subjectParam
      .describe("The environment whose metrics to compare (default: the event's subject).")
      .optional(),
    timezone: timezoneParam.optional(),
  },
  output: {
    anchor: z.object({ time: z.string(), subject: z.string().nullable(), eventId: z.string().nullable() }),
    window: z.object({ duration: z.string(), before: range, after: range }),
    settleMinutes: z.number(),
    provisional: z.boolean(),
    metricsMapped: z.boolean(),
    metrics: z.array(z.record(z.string(), z.unknown())),
    overlapping: z.array(z.record(z.string(), z.unknown())),
    summary: z.object({ verdict: z.string(), text: z.string() }),
    message: z.string(),
  },
  async run(args, env) {
    if (args.eventId === undefined && args.time === undefined)
      throw new ToolInputError(
        'give eventId (an event id from query_events) or time (e.g. "2025-01-15T14:45:00Z") with subject',
      );
    const windowName = args.window ?? DEFAULT_WINDOW;
    if (!WINDOW_NAMES.includes(windowName))
      throw new ToolInputError(`window: "${windowName}" is not one of ${WINDOW_NAMES.join(', ')}`);
    const timezone = checkTimezone(args.timezone);
    const event = args.eventId === undefined ? null : await findEvent(env, args.eventId, args.source);
    const at = event ? Date.parse(event.time) : parseTimeArg('time', args.time as string, env.now, timezone);
    const subject = args.subject ?? event?.subject ?? null;
    if (subject === null && !event)
      throw new ToolInputError('subject: give the environment whose metrics to compare, e.g. "PRODUCTION"');
    if (!env.metrics)
      throw new Error('get_metrics_around_event needs the metric services in its environment');
    const report = await assessImpact(env.metrics, {
      orgId: env.orgId,
      at,
      subject,
      source: event?.source ?? null,
      windowName,
      event,
      now: env.now,
    });
    const mapped = report.metrics.length > 0;
    const message = mapped
      ? report.summary.text
      : `No metric is mapped for subject ${subject ?? '(none given)'}. ${HOW_TO_CONNECT}`;
    const next: { tool: string; arguments: Record<string, unknown>; reason: string }[] = [];
    const moved = ['regressed', 'changed'].includes(report.summary.verdict);
    if (moved || !mapped)
      next.push({
        tool: 'what_changed',
        arguments: { time: report.time, window: windowName, ...(subject ? { subject } : {}) },
        reason: moved
          ? 'the other changes before it, ranked by how likely each caused the change'
          : 'the events ranked by how likely they caused a change at that moment',
      });
    if (moved)
      for (const o of report.overlapping.slice(0, 3))
        next.push({
          tool: 'get_event',
          arguments: { id: o.id, source: o.source },
          reason: `${o.type} of ${o.source} at ${o.time} overlaps the windows: it may share the blame`,
        });
    const lines = [
      message,
      ...report.metrics.map((m) => `- ${m.verdict}: ${m.reason}`),
      `Windows: before ${report.before.from} → ${report.before.to}, after ${report.after.from} → ${report.after.to} (settle ${report.settleMinutes} min not judged)${report.provisional ? '; provisional: the after-window has not passed yet' : ''}.`,
    ];
    return {
      data: {
        anchor: { time: report.time, subject, eventId: event?.id ?? null },
        window: { duration: windowName, before: report.before, after: report.after },
        settleMinutes: report.settleMinutes,
        provisional: report.provisional,
        metricsMapped: mapped,
        metrics: report.metrics as unknown as Record<string, unknown>[],
        overlapping: report.overlapping as unknown as Record<string, unknown>[],
        summary: report.summary,
        message,
      },
      text: lines.join('\n'),
      next,
    };
  },
});
