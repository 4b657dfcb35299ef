/** Reads a DORA question (range, period, subject, source) as the API and the MCP tool receive it. */
import { LIMITS, parseQueryTime } from '@opstrails/core';
import { DAY_MS, PERIODS, type Period } from '../domain/dora/stats.js';
import type { DoraQuery } from './service.js';

export interface DoraQueryInput {
  from?: string;
  to?: string;
  period?: string;
  subject?: string;
  source?: string;
}

export const DEFAULT_DAYS = 30;
export const RANGE_MAX_DAYS = 366;
const MINUTE_MS = 60_000;

export type DoraQueryResult = { ok: true; query: DoraQuery } | { ok: false; field: string; problem: string };

/**
 * `now` is rounded up to the next minute, so every request within a minute asks about the same
 * range (and shares the cached answer); an explicit `to` is taken as given.
 */
export function resolveDoraQuery(input: DoraQueryInput, nowMs = Date.now()): DoraQueryResult {
  const now = Math.ceil(nowMs / MINUTE_MS) * MINUTE_MS;
  const period = (input.period ?? 'week').toLowerCase();
  if (!(PERIODS as readonly string[]).includes(period))
    return { ok: false, field: 'period', problem: `"${input.period}" must be one of ${PERIODS.join(', ')}` };
  const bound = (field: 'from' | 'to', raw: string) => {
    const parsed = parseQueryTime(raw, now);
    return parsed.ok ? parsed.ms : { field, problem: parsed.message };
  };
  const to = input.to === undefined ? now : bound('to', input.to);
  if (typeof to !== 'number') return { ok: false, ...to };
  // Without `from`, the 30 days before `to` (which is now unless given).
  const from = input.from === undefined ? to - DEFAULT_DAYS * DAY_MS : bound('from', input.from);
  if (typeof from !== 'number') return { ok: false, ...from };
  if (from >= to) return { ok: false, field: 'from', problem: 'must be before to; swap them' };
  if (to - from > RANGE_MAX_DAYS * DAY_MS)
    return { ok: false, field: 'from', problem: `the range is at most ${RANGE_MAX_DAYS} days; shorten it` };
  for (const field of ['subject', 'source'] as const) {
    const value = input[field];
    const max = field === 'subject' ? LIMITS.subjectMax : LIMITS.sourceMax;
    if (value !== undefined && (value === '' || value.length > max))
      return { ok: false, field, problem: `must be 1 to ${max} characters` };
  }
  return {
    ok: true,
    query: { from, to, period: period as Period, subject: input.subject, source: input.source },
  };
}
