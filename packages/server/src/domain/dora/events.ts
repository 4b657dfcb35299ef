/**
 * What DORA reads from an event: its kind (deployment, rollback, incident, resolution), the
 * explicit links senders put on it, and its commit times. The fields read are documented in
 * docs/dora.md; keep the two in step.
 */

/** The part of a stored event the DORA computation reads (mapped from stored events in one place: store/dora-queries.ts). */
export interface DoraEvent {
  id: string;
  source: string;
  type: string;
  subject: string | null;
  /** UTC epoch milliseconds. */
  time: number;
  version: string | null;
  severity: string | null;
  data: Record<string, unknown> | null;
  /** CloudEvents `correlation` extension attributes. */
  correlationid?: string;
  causationid?: string;
}

const ROLLBACK = /rollback|rolled[-_.]?back/i;
const INCIDENT = /incident|outage/i;
const HOTFIX = /hotfix/i;
const DEPLOY = /deploy|release|hotfix|service\.upgraded/i;
/** Status words that say a deploy event is not (yet) a finished deployment. */
const NOT_DONE = new Set([
  'failure',
  'failed',
  'error',
  'errored',
  'cancelled',
  'canceled',
  'pending',
  'queued',
  'in_progress',
  'started',
  'running',
]);
const SUCCESS = new Set(['success', 'succeeded', 'successful', 'completed', 'complete', 'done', 'deployed']);

const status = (e: DoraEvent): string | null =>
  typeof e.data?.status === 'string' ? e.data.status.toLowerCase() : null;

export const isRollback = (e: Pick<DoraEvent, 'type'>): boolean => ROLLBACK.test(e.type);

/** Type names worth fetching for DORA: anything that may be a deployment, rollback or incident. */
export const isDoraType = (type: string): boolean =>
  ROLLBACK.test(type) || INCIDENT.test(type) || DEPLOY.test(type);

/** Types that may be deployments (the deployment-status check needs `data`, see isDeployment). */
export const isDeploymentType = (type: string): boolean =>
  DEPLOY.test(type) && !ROLLBACK.test(type) && !INCIDENT.test(type);

/**
 * A finished deployment: `deployment`, `release`, `hotfix`, CDEvents `service.deployed` /
 * `service.upgraded`, any type naming a deploy; a status event (`deployment-status`) only with a
 * success status, any other one unless its `data.status` says it failed or has not finished.
 * A rollback is not a deployment.
 */
export function isDeployment(e: DoraEvent): boolean {
  if (!isDeploymentType(e.type)) return false;
  const s = status(e);
  if (isStatusReport(e)) return s !== null && SUCCESS.has(s);
  return s === null || !NOT_DONE.has(s);
}

/** A status report on a deployment (`deployment-status`, GitHub's `deployment_status`), not the deploy event itself. */
export const isStatusReport = (e: Pick<DoraEvent, 'type'>): boolean => /status/i.test(e.type);

/** The deployment a status report names: `data.deploymentId`, else the `causationid` extension. */
export function reportedDeployment(e: DoraEvent): string | undefined {
  const named = e.data?.deploymentId;
  if (typeof named === 'string' && named !== '') return named;
  return e.causationid || undefined;
}

export const isHotfix = (e: DoraEvent): boolean => HOTFIX.test(e.type);

/** An incident event that says the incident is over (`data.status: resolved`, or a `…resolved` type). */
export function isResolution(e: DoraEvent): boolean {
  if (!INCIDENT.test(e.type)) return false;
  const s = status(e);
  return s === 'resolved' || s === 'closed' || /resolved|closed/i.test(e.type);
}

/** An incident event that opens (reports) an incident. */
export const isIncidentStart = (e: DoraEvent): boolean => INCIDENT.test(e.type) && !isResolution(e);

/** Where an event explicitly names what caused it: `causationid`, `data.causedBy`, `data.deploymentId`. */
export interface CauseLink {
  id: string;
  via: 'causationid' | 'data.causedBy' | 'data.deploymentId';
}

export function causeLinks(e: DoraEvent): CauseLink[] {
  const links: CauseLink[] = [];
  if (e.causationid) links.push({ id: e.causationid, via: 'causationid' });
  for (const via of ['causedBy', 'deploymentId'] as const) {
    const value = e.data?.[via];
    if (typeof value === 'string' && value !== '') links.push({ id: value, via: `data.${via}` });
  }
  return links;
}

/** The deployment ids a deployment says it fixes (`data.fixes`: one id or a list). */
export function fixesOf(e: DoraEvent): string[] {
  const value = e.data?.fixes;
  const list = Array.isArray(value) ? value : [value];
  return list.filter((v): v is string => typeof v === 'string' && v !== '');
}

/** A deployment the sender calls unplanned (`data.unplanned: true`). */
export const isUnplanned = (e: DoraEvent): boolean => e.data?.unplanned === true;

/** Commit times (ms) of a deployment: `data.commits[].time`, else `data.commitTime`. Unparseable ones are left out. */
export function commitTimes(e: DoraEvent): number[] {
  const parse = (values: unknown[]) =>
    values.map((t) => (typeof t === 'string' ? Date.parse(t) : Number.NaN)).filter((t) => Number.isFinite(t));
  const commits = e.data?.commits;
  const fromCommits = Array.isArray(commits)
    ? parse(
        commits.map((c) =>
          c !== null && typeof c === 'object' ? (c as Record<string, unknown>).time : null,
        ),
      )
    : [];
  return fromCommits.length > 0 ? fromCommits : parse([e.data?.commitTime]);
}
