/**
 * The events a health check writes, through the same validation, quota and insert as
 * POST /api/v1/events (so consumers and the live feed see them): `incident` when it goes down,
 * and the resolution (`data.status: "resolved"`) sharing the incident's `correlationid`, written
 * when it passes again or when it is deleted while down. Each event id derives from the
 * correlationid, so writing the same transition twice stores one event: a run resolving the
 * incident while the check is being deleted stores one resolution.
 */
import { formatTime } from '@opstrails/core';
import type { AppContext } from '../http/context.js';
import { ingestEvents } from '../http/routes/v1/events/ingest.js';
import type { CheckRow } from '../store/health-checks.js';

export interface TransitionEvent {
  kind: 'incident' | 'resolved';
  correlationid: string;
  at: number;
  reason: string | null;
  /** When the incident opened (for the resolution's duration). */
  since: number | null;
  /** The run's HTTP status and time; null for a resolution without a run (the check deleted). */
  status: number | null;
  ms: number | null;
  /** Set when the resolution comes from deleting the check rather than from a passing run. */
  because?: 'check-deleted';
}

export function checkEvent(check: CheckRow, t: TransitionEvent): Record<string, unknown> {
  const resolved = t.kind === 'resolved';
  const deleted = t.because === 'check-deleted';
  return {
    specversion: '1.0',
    id: `${t.correlationid}:${resolved ? 'resolved' : 'triggered'}`,
    type: 'incident',
    source: check.source,
    subject: check.subject,
    time: formatTime(t.at),
    severity: check.severity ?? 'MAJOR',
    correlationid: t.correlationid,
    data: {
      status: resolved ? 'resolved' : 'triggered',
      title: deleted
        ? `${check.name} was deleted while down`
        : resolved
          ? `${check.name} is up again`
          : `${check.name} is down: ${t.reason}`,
      check: { id: check.id, name: check.name, url: check.url, method: check.method },
      ...(deleted ? { resolvedBecause: 'check-deleted' } : { httpStatus: t.status, ms: t.ms }),
      ...(resolved
        ? { downSeconds: t.since === null ? null : Math.round((t.at - t.since) / 1000) }
        : { reason: t.reason }),
    },
  };
}

/** When an incident opened: its correlationid (`check:<id>:<time>`) ends with the time of its first failed run. */
export const openedAt = (incident: string) => Number(incident.slice(incident.lastIndexOf(':') + 1)) || null;

/**
 * The resolution of the open incident of a check deleted while down (the check's row as it was):
 * nothing else would ever resolve it. Answers why it was not stored, or null.
 */
export function resolveDeletedCheck(
  ctx: AppContext,
  check: CheckRow,
  now = Date.now(),
): Promise<string | null> {
  const correlationid = check.incident as string;
  return writeCheckEvent(ctx, check, {
    kind: 'resolved',
    correlationid,
    at: now,
    reason: null,
    since: openedAt(correlationid),
    status: null,
    ms: null,
    because: 'check-deleted',
  });
}

/** Writes the event; answers why it was not stored (a plan quota), or null. */
export async function writeCheckEvent(
  ctx: AppContext,
  check: CheckRow,
  t: TransitionEvent,
): Promise<string | null> {
  try {
    const result = await ingestEvents(ctx, check.orgId, [checkEvent(check, t)], t.at);
    const rejected = result.rejected[0];
    return rejected ? `the ${t.kind} event was refused: ${rejected.error}` : null;
  } catch (error) {
    return `the ${t.kind} event was not stored: ${(error as Error).message}`;
  }
}
