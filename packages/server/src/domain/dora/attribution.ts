/**
 * Judges every deployment of a timeline (docs/dora.md, ../shared/research/dora-method.md): did it
 * fail, on what evidence, what revealed and what restored the failure, was it rework, and its
 * lead times. Explicit links win over inference; a deployment fails once however many reasons
 * it has. Pure: the caller fetches the events and the version history.
 */
import {
  causeLinks,
  commitTimes,
  type DoraEvent,
  fixesOf,
  isDeployment,
  isHotfix,
  isIncidentStart,
  isResolution,
  isRollback,
  isStatusReport,
  isUnplanned,
  reportedDeployment,
} from './events.js';
import { median } from './stats.js';
import { formatWindow } from './window.js';

/** Strongest first; `window` is the weakest, shown as such. */
export type Evidence = 'linked' | 'rollback' | 'window';
const STRENGTH: Evidence[] = ['linked', 'rollback', 'window'];

export interface Failure {
  evidence: Evidence;
  /** The strongest reason in words. */
  reason: string;
  /** Every reason found, strongest first. */
  reasons: string[];
  /** The incident that revealed it, when one did. */
  revealedBy: DoraEvent | null;
}

export interface Restore {
  /** The incident that revealed the failure, or the failed deployment itself. */
  start: DoraEvent;
  end: DoraEvent;
  how: 'rollback' | 'deployment' | 'resolution';
  ms: number;
}

export interface JudgedDeployment {
  deployment: DoraEvent;
  failure: Failure | null;
  /** Null while the failure lasts past the events known; always null for a good deployment. */
  restore: Restore | null;
  /** Why this deployment is rework (an unplanned fix), or null. */
  rework: string | null;
  /** Median of its commits' lead times, or null without commit data. */
  leadMs: number | null;
  commits: number;
  /** First deploy of this source + version anywhere to this deployment; null when not its first production deploy or unversioned. */
  promotionMs: number | null;
}

export interface VersionHistory {
  /** When source + version was first deployed anywhere (ms). */
  firstAnywhere(source: string, version: string): number | undefined;
  /** When source + version was first deployed to this subject (ms). */
  firstOnStream(source: string, subject: string, version: string): number | undefined;
}

export interface TimelineInput {
  /** Deployments, rollbacks and incidents, in any order. */
  events: DoraEvent[];
  /** Whether a deployment's subject is one measured (production, or the subject asked for). */
  measured: (subject: string) => boolean;
  failureWindowMs: number;
  versions: VersionHistory;
}

/** Deployments of one source to one subject; names match in any case, like the events filters. */
const streamOf = (e: DoraEvent) => `${e.source}\u0000${e.subject}`.toLowerCase();
const subjectOf = (e: DoraEvent) => e.subject?.toLowerCase() ?? null;
const byTime = (a: DoraEvent, b: DoraEvent) => a.time - b.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const minutes = (ms: number) => Math.round(ms / 60_000);

/** The last of `list` (oldest first) at or before `time`, by binary search. */
function lastAtOrBefore(list: DoraEvent[], time: number): DoraEvent | undefined {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((list[mid] as DoraEvent).time <= time) lo = mid + 1;
    else hi = mid;
  }
  return list[lo - 1];
}

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

export function judgeTimeline(input: TimelineInput): JudgedDeployment[] {
  const sorted = [...input.events].sort(byTime);
  // Each event's kind, found once (the tests below run over every event).
  const allDeployments: DoraEvent[] = [];
  const rollbacks: DoraEvent[] = [];
  const starts: DoraEvent[] = [];
  const resolutions: DoraEvent[] = [];
  for (const e of sorted) {
    if (isRollback(e)) rollbacks.push(e);
    else if (isResolution(e)) resolutions.push(e);
    else if (isIncidentStart(e)) starts.push(e);
    else if (isDeployment(e)) allDeployments.push(e);
  }
  const reports = sameDeployment(allDeployments);
  const deployments = allDeployments.filter(
    (e) => e.subject !== null && input.measured(e.subject) && !reports.has(e),
  );
  const byId = new Map<string, DoraEvent[]>();
  const streams = new Map<string, DoraEvent[]>();
  const bySubject = new Map<string | null, DoraEvent[]>();
  const fixers = new Map<string, DoraEvent[]>();
  for (const d of deployments) {
    push(byId, d.id, d);
    push(streams, streamOf(d), d);
    push(bySubject, subjectOf(d), d);
    for (const id of fixesOf(d)) push(fixers, id, d);
  }
  // A link naming the status report of a deployment names the deployment.
  for (const [report, deploy] of reports) if (byId.has(deploy.id)) push(byId, report.id, deploy);
  const position = new Map<DoraEvent, number>();
  for (const stream of streams.values()) {
    for (const [i, d] of stream.entries()) position.set(d, i);
  }
  const found = new Map<DoraEvent, { evidence: Evidence; reason: string; incident?: DoraEvent }[]>();
  const undoneBy = new Map<DoraEvent, DoraEvent[]>();
  const note = (d: DoraEvent, evidence: Evidence, reason: string, incident?: DoraEvent) =>
    push(found, d, { evidence, reason, incident });
  const undo = (d: DoraEvent, by: DoraEvent) => push(undoneBy, d, by);

  // 1. Explicit links: an incident or rollback naming the deployment, a deployment fixing it.
  for (const [kind, list] of [
    ['incident', starts],
    ['incident', resolutions],
    ['rollback', rollbacks],
  ] as const) {
    for (const e of list) {
      for (const link of causeLinks(e)) {
        for (const d of byId.get(link.id) ?? []) {
          note(d, 'linked', `${kind} ${e.id} names it in ${link.via}`, list === starts ? e : undefined);
          if (kind === 'rollback') undo(d, e);
        }
      }
    }
  }
  for (const e of allDeployments) {
    for (const id of fixesOf(e)) {
      for (const d of byId.get(id) ?? [])
        note(d, 'linked', `deployment ${e.id} says it fixes it in data.fixes`);
    }
  }

  // 2. Rolled back: an unlinked rollback on the stream before its next deployment, or a redeploy of an earlier version.
  const redeploys = new Set<DoraEvent>();
  for (const r of rollbacks) {
    if (r.subject === null || causeLinks(r).length > 0) continue;
    const last = lastAtOrBefore(streams.get(streamOf(r)) ?? [], r.time);
    if (last) {
      note(last, 'rollback', `rollback ${r.id} on ${r.source} ${r.subject} before the next deployment there`);
      undo(last, r);
    }
  }
  for (const stream of streams.values()) {
    for (let i = 1; i < stream.length; i++) {
      const prev = stream[i - 1] as DoraEvent;
      const d = stream[i] as DoraEvent;
      if (!d.version || d.version === prev.version) continue;
      const first = input.versions.firstOnStream(d.source, d.subject as string, d.version);
      if (first === undefined || first >= prev.time) continue;
      redeploys.add(d);
      note(prev, 'rollback', `undone by deployment ${d.id}, a redeploy of the earlier version ${d.version}`);
    }
  }

  // 3. Impact verdicts (the method's third reason) are not stored yet, so none is read.
  // 4. Time window: an incident with no explicit link, on the subject of the latest deployment there, within the window.
  const window = formatWindow(input.failureWindowMs);
  for (const i of starts) {
    if (i.subject === null || causeLinks(i).length > 0) continue;
    const latest = lastAtOrBefore(bySubject.get(subjectOf(i)) ?? [], i.time);
    if (latest && i.time - latest.time <= input.failureWindowMs) {
      note(
        latest,
        'window',
        `incident ${i.id} on ${i.subject} ${minutes(i.time - latest.time)} min after it, no deployment there in between (failure window ${window}; no explicit link)`,
        i,
      );
    }
  }

  const failures = new Map<DoraEvent, Failure>();
  for (const [d, list] of found) {
    list.sort((a, b) => STRENGTH.indexOf(a.evidence) - STRENGTH.indexOf(b.evidence));
    const incidents = list.flatMap((f) => (f.incident ? [f.incident] : [])).sort(byTime);
    const best = list[0] as (typeof list)[number];
    failures.set(d, {
      evidence: best.evidence,
      reason: best.reason,
      reasons: list.map((f) => f.reason),
      revealedBy: incidents[0] ?? null,
    });
  }

  return deployments.map((d) => {
    const stream = streams.get(streamOf(d)) ?? [];
    const at = position.get(d) ?? 0;
    const prev = stream[at - 1];
    const failure = failures.get(d) ?? null;
    const ends = () => ({
      rollbacks: undoneBy.get(d) ?? [],
      nextGood: nextGood(stream, at, failures),
      fixers: fixers.get(d.id) ?? [],
      resolutions,
    });
    return {
      deployment: d,
      failure,
      restore: failure ? restoreOf(d, failure, ends()) : null,
      rework: reworkOf(d, prev, failures, redeploys, input.failureWindowMs, window),
      ...leadOf(d),
      promotionMs: promotionOf(d, input.versions),
    };
  });
}

/**
 * Status reports that are the same deployment as a deploy event counted before them (GitHub sends
 * a `deployment` and then a `deployment_status` for one deployment): the report names the
 * deploy event (`data.deploymentId` or `causationid`), or, naming none, comes next on the same
 * source + subject with the same version. Each maps to its deploy event; it is counted once, as
 * the deploy event (the id incidents and rollbacks name), at the deploy event's time.
 */
function sameDeployment(deployments: DoraEvent[]): Map<DoraEvent, DoraEvent> {
  const same = new Map<DoraEvent, DoraEvent>();
  const byId = new Map<string, DoraEvent>();
  const last = new Map<string, DoraEvent>();
  for (const e of deployments) {
    if (isStatusReport(e)) {
      const named = reportedDeployment(e);
      const previous = last.get(streamOf(e));
      const deploy =
        named !== undefined
          ? byId.get(named)
          : previous && previous.version !== null && previous.version === e.version
            ? previous
            : undefined;
      if (deploy && !isStatusReport(deploy)) {
        same.set(e, deploy);
        continue;
      }
    }
    byId.set(e.id, e);
    last.set(streamOf(e), e);
  }
  return same;
}

function nextGood(stream: DoraEvent[], at: number, failures: Map<DoraEvent, Failure>): DoraEvent | undefined {
  for (let i = at + 1; i < stream.length; i++) {
    const next = stream[i] as DoraEvent;
    if (!failures.has(next)) return next;
  }
  return undefined;
}

/** What may have restored service after a failed deployment. */
interface RestoreEnds {
  /** Rollbacks that undid it. */
  rollbacks: DoraEvent[];
  /** The next deployment on its stream that did not fail. */
  nextGood: DoraEvent | undefined;
  /** Deployments saying they fix it. */
  fixers: DoraEvent[];
  /** Every incident resolution, oldest first. */
  resolutions: DoraEvent[];
}

function restoreOf(d: DoraEvent, failure: Failure, ends: RestoreEnds): Restore | null {
  const start = failure.revealedBy ?? d;
  const candidates: { end: DoraEvent; how: Restore['how'] }[] = [
    ...ends.rollbacks.map((end) => ({ end, how: 'rollback' as const })),
    ...[ends.nextGood, ...ends.fixers].flatMap((end) => (end ? [{ end, how: 'deployment' as const }] : [])),
  ];
  const incident = failure.revealedBy;
  if (incident) {
    const resolution = ends.resolutions.find(
      (r) =>
        r.time >= incident.time &&
        (incident.correlationid
          ? r.correlationid === incident.correlationid
          : r.source === incident.source && r.subject === incident.subject),
    );
    if (resolution) candidates.push({ end: resolution, how: 'resolution' });
  }
  const best = candidates
    .filter((c) => c.end.time >= start.time && c.end !== d)
    .sort((a, b) => a.end.time - b.end.time)[0];
  return best ? { start, end: best.end, how: best.how, ms: best.end.time - start.time } : null;
}

function reworkOf(
  d: DoraEvent,
  prev: DoraEvent | undefined,
  failures: Map<DoraEvent, Failure>,
  redeploys: Set<DoraEvent>,
  windowMs: number,
  window: string,
): string | null {
  if (isHotfix(d)) return `a ${d.type} (hotfix type)`;
  if (isUnplanned(d)) return 'data.unplanned is true';
  if (fixesOf(d).length > 0) return `fixes ${fixesOf(d).join(', ')} (data.fixes)`;
  if (redeploys.has(d)) return `a redeploy of the earlier version ${d.version}`;
  if (prev && failures.has(prev) && d.time - prev.time <= windowMs)
    return `the next deployment after the failed ${prev.id}, within the failure window (${window})`;
  return null;
}

function leadOf(d: DoraEvent): { leadMs: number | null; commits: number } {
  const leads = commitTimes(d)
    .filter((t) => t <= d.time)
    .map((t) => d.time - t);
  return { leadMs: median(leads), commits: leads.length };
}

function promotionOf(d: DoraEvent, versions: VersionHistory): number | null {
  if (!d.version) return null;
  const onStream = versions.firstOnStream(d.source, d.subject as string, d.version) ?? d.time;
  if (onStream < d.time) return null;
  const first = Math.min(versions.firstAnywhere(d.source, d.version) ?? d.time, d.time);
  return d.time - first;
}
