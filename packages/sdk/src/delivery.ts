/**
 * What delivery metrics (DORA) read from an event, written where the server reads it
 * (docs/dora.md): the commits a deployment ships in `data.commits` (`sha`, `time`, `message`),
 * or only `data.commitTime`, for lead time; what caused an incident or rollback in the
 * CloudEvents extension `causationid` (the id of the deployment).
 */
import { OpsTrailsError } from './errors.js';

/** A commit a deployment ships. */
export interface Commit {
  sha: string;
  /** When it was committed: a `Date` or an RFC 3339 string. */
  time: string | Date;
  /** Its message (the first line is enough). */
  message?: string;
}

export interface DeliveryInfo {
  /** The commits this deployment ships: lead time for changes is measured from their times. */
  commits?: Commit[];
  /** Without a commit list: when the change was committed. */
  commitTime?: string | Date;
  /** The id of the event (a deployment) that caused this one (an incident, a rollback). */
  causedBy?: string;
}

/** Rejected before sending, naming the field and the fix. */
export class DeliveryInfoError extends OpsTrailsError {
  constructor(message: string) {
    super(message, 'VALIDATION_ERROR', 0);
  }
}

function timeOf(value: unknown, field: string): string {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms))
    throw new DeliveryInfoError(
      `${field}: ${JSON.stringify(value instanceof Date ? 'Invalid Date' : value)} is not a time; give a Date or RFC 3339, e.g. 2026-11-24T10:02:00Z`,
    );
  return value instanceof Date ? value.toISOString() : (value as string);
}

/**
 * The `data` fields and extension attributes that carry `info`; throws DeliveryInfoError on a
 * commit without a `sha` or a time that does not parse.
 */
export function deliveryFields(info: DeliveryInfo): {
  data: Record<string, unknown>;
  extensions: { causationid?: string };
} {
  const data: Record<string, unknown> = {};
  if (info.commits !== undefined) {
    if (!Array.isArray(info.commits))
      throw new DeliveryInfoError('commits: must be a list of {sha, time, message}');
    data.commits = info.commits.map((c, i) => {
      if (c === null || typeof c !== 'object' || typeof c.sha !== 'string' || c.sha === '')
        throw new DeliveryInfoError(`commits[${i}].sha: is required (the commit's id)`);
      const commit: Record<string, string> = { sha: c.sha, time: timeOf(c.time, `commits[${i}].time`) };
      if (typeof c.message === 'string') commit.message = c.message;
      return commit;
    });
  }
  if (info.commitTime !== undefined) data.commitTime = timeOf(info.commitTime, 'commitTime');
  const extensions: { causationid?: string } = {};
  if (info.causedBy !== undefined) {
    if (typeof info.causedBy !== 'string' || info.causedBy === '')
      throw new DeliveryInfoError('causedBy: must be the id of the event that caused this one');
    extensions.causationid = info.causedBy;
  }
  return { data, extensions };
}

/** Commits kept by fitCommits: with the rest of an event they stay under the server's 10 KiB per event. */
export const COMMITS_MAX = 30;
const MESSAGE_MAX = 60;

/**
 * A commit list that fits in one event: each message cut to its first line (60 characters at
 * most), and past COMMITS_MAX commits a sample of COMMITS_MAX spread evenly over the list (the
 * first and the last kept), so the median commit age, which lead time uses, stays close.
 * `total` is how many there were.
 */
export function fitCommits(commits: Commit[]): { commits: Commit[]; total: number } {
  const cut = (c: Commit): Commit => {
    const line = (c.message ?? '').split('\n')[0]?.trim() ?? '';
    const message = line.length > MESSAGE_MAX ? `${line.slice(0, MESSAGE_MAX - 1)}…` : line;
    return message === '' ? { sha: c.sha, time: c.time } : { sha: c.sha, time: c.time, message };
  };
  if (commits.length <= COMMITS_MAX) return { commits: commits.map(cut), total: commits.length };
  const step = (commits.length - 1) / (COMMITS_MAX - 1);
  const sample = Array.from({ length: COMMITS_MAX }, (_, i) => commits[Math.round(i * step)] as Commit);
  return { commits: sample.map(cut), total: commits.length };
}
