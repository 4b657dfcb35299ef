/**
 * Parameter and result schemas shared by several tools, defined once so every tool describes
 * `from`, `to`, `timezone`… to the model in the same words.
 */
import { z } from 'zod';

export const fromParam = z
  .string()
  .describe('Start of the range: relative ("-30m", "-2h", "-7d") or ISO 8601 ("2025-01-15T14:30:00Z").');
export const toParam = z.string().describe('End of the range, same formats as from; default now.');
export const timezoneParam = z
  .string()
  .describe('IANA time zone (e.g. "Europe/Paris") for datetimes written without an offset.');
export const typeParam = z
  .string()
  .describe('Event type, any case (e.g. "deployment"); see list_event_types.');
export const sourceParam = z
  .string()
  .describe('Source (system), any case (e.g. "BE"); see list_event_sources.');
export const subjectParam = z
  .string()
  .describe('Subject (environment), any case (e.g. "PRODUCTION"); see list_event_subjects.');
export const severityParam = z.string().describe('Severity: LOW, MINOR, MAJOR or CRITICAL.');
export const eventIdParam = z.string().min(1).describe('The event id (as returned by query_events).');
export const windowParam = z
  .string()
  .describe('How far back to look: a duration such as "30m", "2h" (default), "1d".');

/** An event as answers render it: the twelve fields, then its CloudEvents extension attributes. */
export const eventSchema = z
  .object({
    id: z.string(),
    specversion: z.string(),
    type: z.string(),
    source: z.string(),
    time: z.string(),
    subject: z.string().nullable(),
    severity: z.string().nullable(),
    version: z.string().nullable(),
    datacontenttype: z.string(),
    dataschema: z.string().nullable(),
    data: z.record(z.string(), z.unknown()).nullable(),
    createdAt: z.string(),
  })
  // Extension values are strings, numbers or booleans; the server checked them on the way in.
  .catchall(z.unknown());

export const suggestedNextSchema = z
  .array(
    z.object({
      tool: z.string(),
      arguments: z.record(z.string(), z.unknown()),
      reason: z.string(),
    }),
  )
  .describe('One to three follow-up calls with their arguments filled in, each with why.');

export type SuggestedCall = z.infer<typeof suggestedNextSchema>[number];

export const countSchema = z.object({ value: z.string(), count: z.number(), lastSeen: z.string() });
