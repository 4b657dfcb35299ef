/**
 * get_metrics_around_event (contract section 4). Analytics providers are not connected in this
 * server yet, so no metric is mapped to any subject: the tool says so plainly, with what would
 * be compared and how a metric gets connected, and never makes up numbers.
 */
import { z } from 'zod';
import { checkTimezone, formatDuration, parseDuration, parseTimeArg } from '../arguments.js';
import { subjectParam, timezoneParam, windowParam } from '../schemas.js';
import { defineTool, ToolInputError } from '../tool.js';
import { findEvent } from './find-event.js';

const DEFAULT_WINDOW = '2h';
const HOW_TO_CONNECT =
  'Metrics come from analytics providers (Datadog, Sentry, New Relic, Google Analytics 4, Adobe Analytics) whose metrics are each mapped to a subject; this OpsTrails server has no analytics provider connected, so no comparison exists. Until one is, compare the metric in your monitoring tool over the window below, and use what_changed to see which events preceded the change.';

export const getMetricsAroundEvent = defineTool({
  name: 'get_metrics_around_event',
  title: 'Metrics around an event',
  description:
    'Each metric mapped to the subject, compared in the window before and after an event (or a time), with the significant changes flagged. Give eventId, or time plus subject.',
  input: {
    eventId: z.string().describe('The event to look around (from query_events).').optional(),
    time: z.string().describe('A moment instead of an event: ISO 8601 or relative ("-1h").').optional(),
    window: windowParam.optional(),
    subject: subjectParam
      .describe("The environment whose metrics to compare (default: the event's subject).")
      .optional(),
    timezone: timezoneParam.optional(),
  },
  output: {
    anchor: z.object({ time: z.string(), subject: z.string().nullable(), eventId: z.string().nullable() }),
    window: z.object({
      duration: z.string(),
      before: z.object({ from: z.string(), to: z.string() }),
      after: z.object({ from: z.string(), to: z.string() }),
    }),
    metricsMapped: z.boolean(),
    metrics: z.array(
      z.object({ name: z.string(), before: z.number(), after: z.number(), significant: z.boolean() }),
    ),
    message: z.string(),
  },
  async run(args, env) {
    if (args.eventId === undefined && args.time === undefined)
      throw new ToolInputError(
        'give eventId (an event id from query_events) or time (e.g. "2025-01-15T14:45:00Z")',
      );
    const timezone = checkTimezone(args.timezone);
    const windowMs = parseDuration('window', args.window ?? DEFAULT_WINDOW);
    const event = args.eventId === undefined ? null : await findEvent(env, args.eventId);
    const at = event ? Date.parse(event.time) : parseTimeArg('time', args.time as string, env.now, timezone);
    const subject = args.subject ?? event?.subject ?? null;
    const iso = (ms: number) => new Date(ms).toISOString();
    const window = {
      duration: formatDuration(windowMs),
      before: { from: iso(at - windowMs), to: iso(at) },
      after: { from: iso(at), to: iso(at + windowMs) },
    };
    const message = `No metric is mapped for subject ${subject ?? '(none given)'}. ${HOW_TO_CONNECT}`;
    return {
      data: {
        anchor: { time: iso(at), subject, eventId: event?.id ?? null },
        window,
        metricsMapped: false,
        metrics: [],
        message,
      },
      text: `${message}\nWindow: before ${window.before.from} → ${window.before.to}, after ${window.after.from} → ${window.after.to}.`,
      next: [
        {
          tool: 'what_changed',
          arguments: { time: iso(at), window: window.duration, ...(subject ? { subject } : {}) },
          reason: 'the events ranked by how likely they caused a change at that moment',
        },
      ],
    };
  },
});
