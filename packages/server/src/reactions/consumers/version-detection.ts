/**
 * Version detection (issue 15): watches `service.version` per service and environment in the
 * span events OTLP stores (their `version`, `source`, `subject`), and when a version shows up
 * that was not seen there before, or comes back after an hour in which another version ran
 * there (a rollback), stores one `deployment` event with `data.detected: true` ("version
 * observed", never "deployed"). Pipelines stay the authority: nothing is written when a
 * deploy-type event of that version was stored there, dated from an hour before the version
 * was first seen up to the decision. The first version ever seen at a place is its baseline,
 * not a deployment: connecting a collector announces nothing.
 *
 * The decision waits a grace period (OPSTRAILS_VERSION_DETECTION_GRACE_MS, default 15 minutes)
 * after the server saw the version's first span, so a pipeline that reports once its rollout
 * finished is not doubled. The consumer keeps the version as a candidate on its observed_versions
 * row (in the batch's transaction, with the cursor); a periodic job (`decideVersionCandidates`,
 * once across instances) claims each candidate whose grace has passed with a conditional update
 * and, in the same transaction, stores the detected deployment through the ingest path's own
 * writer (usage counted with it), unless a pipeline reported meanwhile. With a grace of 0 the
 * consumer decides and writes in its batch's transaction at once. Event ids derive from the
 * place, version and first span time: nothing is ever stored twice. The live feed and the other
 * consumers read it from the log like any event. It is not refused by the quota: it is the
 * server's own observation, at most one per version change.
 */
import { createHash, randomUUID } from 'node:crypto';
import { LIMITS, validateEvent } from '@opstrails/core';
import type { Kysely } from 'kysely';
import { isDeployType } from '../../domain/environments.js';
import { isSpanEventId } from '../../domain/otlp-spans.js';
import type { EventRow } from '../../store/event-rows.js';
import { withinTransaction } from '../../store/event-write-ops.js';
import { EventWriter } from '../../store/event-writer.js';
import {
  claimCandidate,
  deploymentsOf,
  dueCandidates,
  type Place,
  recordCandidate,
  recordSeen,
  type SeenVersion,
  seenVersions,
} from '../../store/observed-versions.js';
import type { Database } from '../../store/schema.js';
import type { Store } from '../../store/store.js';
import { writeTransaction } from '../../store/write-transaction.js';
import type { Consumer } from '../consumer.js';
import { type StopSchedule, schedulePeriodic } from '../scheduler.js';

/** A pipeline's deployment this long before the first span of a version makes the detection needless. */
export const PIPELINE_AUTHORITY_MS = 3_600_000;
/** A version unseen at a place this long, while another ran there, is detected again when it comes back. */
export const RETURN_AFTER_MS = 3_600_000;
/** Ids of detected deployments start so; a deterministic rest makes a re-handled batch store nothing new. */
export const DETECTED_ID_PREFIX = 'version-observed-';
/** How often the decision job looks for candidates whose grace has passed. */
export const DECIDE_EVERY_MS = 30_000;
/** Candidates decided per transaction of the job; it takes batches until none is due. */
const DECIDE_BATCH = 100;

/** The spans of one version at one place in a batch. */
interface Sighting extends Place {
  version: string;
  firstSeenAt: number;
  lastSeenAt: number;
  /** The first span's event id (`<traceId>-<spanId>`). */
  spanEventId: string;
}

const placeKey = (p: Place) => JSON.stringify([p.orgId, p.source, p.subject]);

/** Span events with a version and an environment, grouped by place and version, earliest first. */
function sightings(events: EventRow[]): Sighting[] {
  const byKey = new Map<string, Sighting>();
  for (const e of events) {
    if (e.version === null || e.subject === null || !isSpanEventId(e.id)) continue;
    const time = Number(e.time);
    const key = JSON.stringify([e.org_id, e.source, e.subject, e.version]);
    const s = byKey.get(key);
    if (!s) {
      byKey.set(key, {
        orgId: e.org_id,
        source: e.source,
        subject: e.subject,
        version: e.version,
        firstSeenAt: time,
        lastSeenAt: time,
        spanEventId: e.id,
      });
      continue;
    }
    if (time < s.firstSeenAt) Object.assign(s, { firstSeenAt: time, spanEventId: e.id });
    s.lastSeenAt = Math.max(s.lastSeenAt, time);
  }
  return [...byKey.values()].sort((a, b) => a.firstSeenAt - b.firstSeenAt);
}

/** The version seen most recently at a place other than `version`, if any. */
function previousVersion(seen: Map<string, SeenVersion>, version: string): SeenVersion | null {
  let latest: SeenVersion | null = null;
  for (const v of seen.values())
    if (v.version !== version && (!latest || v.lastSeenAt > latest.lastSeenAt)) latest = v;
  return latest;
}

/**
 * Whether this sighting is a version showing up: never seen at a place that has a baseline, or
 * back after an hour during which another version was seen later (a rollback, a redeploy). A
 * service that was only idle for a while comes back with the version it had: nothing new.
 */
function showsUp(seen: Map<string, SeenVersion>, s: Sighting): boolean {
  if (seen.size === 0) return false;
  const before = seen.get(s.version);
  if (!before) return true;
  const other = previousVersion(seen, s.version);
  return (
    other !== null &&
    other.lastSeenAt > before.lastSeenAt &&
    before.lastSeenAt < s.firstSeenAt - RETURN_AFTER_MS
  );
}

/** Whether a pipeline stored a deployment of this version here (not one of ours), dated from an hour before its first span on. */
async function pipelineReported(
  trx: Kysely<Database>,
  s: Place & { version: string; firstSeenAt: number },
): Promise<boolean> {
  const candidates = await deploymentsOf(trx, s, s.version, s.firstSeenAt - PIPELINE_AUTHORITY_MS);
  return candidates.some((c) => isDeployType(c.type) && !c.id.startsWith(DETECTED_ID_PREFIX));
}

/** What the detected event is made from: the version, its first span, and the one it replaced. */
type Detection = Place & { version: string; firstSeenAt: number; spanEventId: string };

function detectedEvent(s: Detection, previous: string | null) {
  const [traceId, spanId] = s.spanEventId.split('-');
  const id = createHash('sha256')
    .update(JSON.stringify([s.orgId, s.source, s.subject, s.version, s.firstSeenAt]))
    .digest('hex')
    .slice(0, 32);
  const description = `version ${s.version} observed on ${s.source} in ${s.subject} (service.version in its spans${
    previous ? `, was ${previous}` : ''
  }); no pipeline reported this version there`;
  return {
    specversion: '1.0',
    id: `${DETECTED_ID_PREFIX}${id}`,
    type: 'deployment',
    source: s.source,
    subject: s.subject,
    version: s.version,
    time: new Date(s.firstSeenAt).toISOString(),
    data: {
      description: description.slice(0, LIMITS.descriptionMax),
      detected: true,
      detectedFrom: 'otlp-spans',
      previousVersion: previous,
      firstSpan: { traceId, spanId },
    },
  };
}

/** Validates and stores the detected deployment in the transaction `trx` (the ingest path's writer). */
async function writeDetected(trx: Kysely<Database>, s: Detection, previous: string | null, now: number) {
  const result = validateEvent(detectedEvent(s, previous), now, randomUUID);
  // Built from a stored event's own fields: failing here is a bug, retried then skipped by the runner.
  if (!result.ok) throw new Error(`detected deployment event is invalid: ${result.error}`);
  await new EventWriter(withinTransaction(trx)).write(s.orgId, [result.event], now);
}

/** The consumer; `graceMs` 0 decides in the batch, more leaves candidates for `decideVersionCandidates`. */
export function versionDetectionConsumer(graceMs: number): Consumer {
  return {
    name: 'version-detection',
    batchSize: 500,
    async handle(events, trx) {
      const places = new Map<string, Map<string, SeenVersion>>();
      const now = Date.now();
      for (const s of sightings(events)) {
        const key = placeKey(s);
        let seen = places.get(key);
        if (!seen) {
          seen = await seenVersions(trx, s);
          places.set(key, seen);
        }
        const candidate = showsUp(seen, s) && !(await pipelineReported(trx, s));
        const previous = previousVersion(seen, s.version)?.version ?? null;
        if (candidate && graceMs === 0) await writeDetected(trx, s, previous, now);
        const before = seen.get(s.version);
        const merged: SeenVersion = {
          version: s.version,
          firstSeenAt: Math.min(before?.firstSeenAt ?? s.firstSeenAt, s.firstSeenAt),
          lastSeenAt: Math.max(before?.lastSeenAt ?? s.lastSeenAt, s.lastSeenAt),
        };
        seen.set(s.version, merged);
        await recordSeen(trx, s, merged);
        if (candidate && graceMs > 0)
          await recordCandidate(trx, { ...s, noticedAt: now, previousVersion: previous });
      }
    },
  };
}

/**
 * Decides every candidate noticed at least `graceMs` before `now`: each is claimed (exactly one
 * caller wins it, however many run at once) and, in the claim's transaction, its detected
 * deployment is stored unless a pipeline reported the version there meanwhile. Returns how many
 * detected deployments were stored. `now` is a parameter so tests move time without waiting.
 */
export async function decideVersionCandidates(
  store: Store,
  graceMs: number,
  now = Date.now(),
): Promise<number> {
  const write = writeTransaction(store.db, store.engine);
  let stored = 0;
  // A candidate whose write fails stays for the next run (its claim rolled back) without holding
  // up the others; the run reports the failure once it has decided them.
  let failure: unknown = null;
  let offset = 0;
  for (;;) {
    const due = await dueCandidates(store.db, now - graceMs, DECIDE_BATCH, offset);
    for (const c of due) {
      try {
        const wrote = await write(async (trx) => {
          if (!(await claimCandidate(trx, c))) return false;
          if (await pipelineReported(trx, c)) return false;
          await writeDetected(trx, c, c.previousVersion, Date.now());
          return true;
        });
        if (wrote) stored++;
      } catch (error) {
        failure ??= error;
        offset++;
      }
    }
    if (due.length < DECIDE_BATCH) break;
  }
  if (failure) throw failure;
  return stored;
}

/** Runs `decideVersionCandidates` every 30 seconds, once across the instances sharing the store. */
export function scheduleVersionDetection(
  store: Store,
  graceMs: number,
  onError: (error: unknown) => void,
): StopSchedule {
  return schedulePeriodic(
    store,
    {
      name: 'version-detection',
      everyMs: DECIDE_EVERY_MS,
      run: () => decideVersionCandidates(store, graceMs),
    },
    onError,
  );
}
