/** Turns tool arguments (times, durations, severities) into values, or a ToolInputError saying how to write them. */
import { isValidTimeZone, parseQueryTime, SEVERITIES, type Severity } from '@opstrails/core';
import { ToolInputError } from './tool.js';

export function checkTimezone(timezone: string | undefined): string | undefined {
  if (timezone !== undefined && !isValidTimeZone(timezone))
    throw new ToolInputError(
      `timezone: "${timezone}" is not an IANA time zone; use e.g. "Europe/Paris" or "UTC"`,
    );
  return timezone;
}

export function parseTimeArg(name: string, value: string, now: number, timezone: string | undefined): number {
  const parsed = parseQueryTime(value, now, timezone);
  if (!parsed.ok) throw new ToolInputError(`${name}: ${parsed.message}`);
  return parsed.ms;
}

export function parseRange(
  args: { from?: string; to?: string; timezone?: string },
  now: number,
): { from: number | undefined; to: number } {
  const timezone = checkTimezone(args.timezone);
  const from = args.from === undefined ? undefined : parseTimeArg('from', args.from, now, timezone);
  const to = args.to === undefined ? now : parseTimeArg('to', args.to, now, timezone);
  if (from !== undefined && from > to)
    throw new ToolInputError(
      `from: ${new Date(from).toISOString()} is after to (${new Date(to).toISOString()}); swap them`,
    );
  return { from, to };
}

const DURATION = /^-?\s*(\d+(?:\.\d+)?)\s*(s|sec|m|min|h|hr|hours?|d|days?)$/i;
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "2h", "30m", "1d" (a leading minus is accepted too) in ms; 1 minute to 31 days. */
export function parseDuration(name: string, value: string): number {
  const m = DURATION.exec(value.trim());
  const unit = m?.[2]?.[0]?.toLowerCase();
  const ms = m && unit ? Number(m[1]) * (UNIT_MS[unit] ?? 0) : Number.NaN;
  if (!Number.isFinite(ms) || ms < 60_000 || ms > 31 * 86_400_000)
    throw new ToolInputError(
      `${name}: "${value}" is not a duration from 1m to 31d; write e.g. "30m", "2h" or "1d"`,
    );
  return ms;
}

export function parseSeverity(value: string | undefined): Severity | undefined {
  if (value === undefined) return undefined;
  const upper = value.toUpperCase();
  if (!(SEVERITIES as readonly string[]).includes(upper))
    throw new ToolInputError(`severity: "${value}" must be one of ${SEVERITIES.join(', ')}`);
  return upper as Severity;
}

/** "2h 5m"-style rendering of a duration for texts. */
export function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes % 1_440 === 0) return `${minutes / 1_440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return minutes > 60 ? `${Math.floor(minutes / 60)}h ${minutes % 60}m` : `${minutes}m`;
}
