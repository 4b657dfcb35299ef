/**
 * A check as the API and the MCP tools show it (extended API section 9): its settings, `status`,
 * `uptime: {day, week}` as fractions of passing runs (null before any run), the mean response
 * time of passing runs, and, for one check, its recent `history` newest first.
 */
import type { CheckResult, CheckRow, HealthCheckRepository } from '../store/health-checks.js';

const DAY_MS = 86_400_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export interface UptimeView {
  day: number | null;
  week: number | null;
  /** Mean milliseconds of the passing runs. */
  meanMs: { day: number | null; week: number | null };
  runs: { day: number; week: number };
}

export async function uptimeOf(
  repo: HealthCheckRepository,
  checkId: string,
  now: number,
): Promise<UptimeView> {
  const [day, week] = await Promise.all([
    repo.uptimeSince(checkId, now - DAY_MS),
    repo.uptimeSince(checkId, now - 7 * DAY_MS),
  ]);
  const fraction = (u: { runs: number; ok: number }) =>
    u.runs === 0 ? null : Math.round((u.ok / u.runs) * 1e4) / 1e4;
  return {
    day: fraction(day),
    week: fraction(week),
    meanMs: { day: day.meanMs, week: week.meanMs },
    runs: { day: day.runs, week: week.runs },
  };
}

export function settingsView(row: CheckRow) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    method: row.method,
    expectedStatus: row.expectedStatus,
    expectedBody: row.expectedBody,
    intervalSeconds: row.intervalSeconds,
    timeoutSeconds: row.timeoutSeconds,
    subject: row.subject,
    source: row.source,
    severity: row.severity,
    paused: row.paused,
    status: row.status,
    /** The correlationid of the open incident (its events share it), while down. */
    incident: row.incident,
    lastError: row.lastError,
    lastRunAt: iso(row.lastRunAt),
    nextRunAt: row.paused ? null : iso(row.nextRunAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export const historyView = (history: CheckResult[]) =>
  history.map((h) => ({ time: new Date(h.at).toISOString(), ok: h.ok, status: h.status, ms: h.ms }));

/** A check with its uptime (the list). */
export async function checkView(repo: HealthCheckRepository, row: CheckRow, now: number) {
  return { ...settingsView(row), uptime: await uptimeOf(repo, row.id, now) };
}

/** A check with its uptime and its runs of the last day, newest first, at most `limit` (GET /api/v1/checks/{id}). */
export async function checkDetailView(
  repo: HealthCheckRepository,
  row: CheckRow,
  now: number,
  limit: number,
) {
  const [view, history] = await Promise.all([
    checkView(repo, row, now),
    repo.history(row.id, now - DAY_MS, limit),
  ]);
  return { ...view, history: historyView(history) };
}

/** The cursor after a check in a list (creation time, then id). */
export const cursorOf = (row: CheckRow) => `${row.createdAt}.${row.id}`;

/** The position a cursor names, or null when it is not one of ours. */
export function parseCursor(cursor: string): { createdAt: number; id: string } | null {
  const match = /^(\d{1,15})\.(\S{1,100})$/.exec(cursor);
  return match ? { createdAt: Number(match[1]), id: match[2] as string } : null;
}
