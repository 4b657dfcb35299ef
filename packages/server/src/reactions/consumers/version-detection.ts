/**
 * Version detection (issue 15): watches `service.version` per service and environment in the
 * span events OTLP stores (their `version`, `source`, `subject`), and when a version shows up
 * that was not seen there before, or comes back after an hour in which another version ran
 * there (a rollback), stores one `deployment` event with `data.detected: true` ("version
 * observed", never "deployed"). Pipelines stay the authority: nothing is written when a
 * deploy-type event of that version was already stored there, dated within the hour before the
 * version was first seen (or later). The first version ever seen at a place is its baseline,
 * not a deployment: connecting a collector announces nothing.
 *
 * The event is stored in the batch's transaction through the ingest path's own writer (usage
 * counted with it), so the cursor, the state and the event commit together: a batch handled
 * twice writes nothing twice. The live feed and the other consumers read it from the log like
 * any event. It is not refused by the quota: it is the server's own observation, at most one per
 * version change.
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
  deploymentsOf,
  type Place,
  recordSeen,
  type SeenVersion,
  seenVersions,
} from '../../store/observed-versions.js';
import type { Database } from '../../store/schema.js';
import type { Consumer } from '../consumer.js';

/** A pipeline's deployment this long before the first span of a version makes the detection needless. */
export const PIPELINE_AUTHORITY_MS = 3_600_000;
/** A version unseen at a place this long, while another ran there, is detected again when it comes back. */
export const RETURN_AFTER_MS = 3_600_000;
/** Ids of detected deployments start so; a deterministic rest makes a re-handled batch store nothing new. */
export const DETECTED_ID_PREFIX = 'version-observed-';

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

/** Whether a pipeline already stored a deployment of this version here (not one of ours). */
async function pipelineReported(trx: Kysely<Database>, s: Sighting): Promise<boolean> {
  const candidates = await deploymentsOf(trx, s, s.version, s.firstSeenAt - PIPELINE_AUTHORITY_MS);
  return candidates.some((c) => isDeployType(c.type) && !c.id.startsWith(DETECTED_ID_PREFIX));
}

function detectedEvent(s: Sighting, previous: string | null) {
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

export const versionDetectionConsumer: Consumer = {
  name: 'version-detection',
  batchSize: 500,
  async handle(events, trx) {
    const places = new Map<string, Map<string, SeenVersion>>();
    const writer = new EventWriter(withinTransaction(trx));
    const now = Date.now();
    for (const s of sightings(events)) {
      const key = placeKey(s);
      let seen = places.get(key);
      if (!seen) {
        seen = await seenVersions(trx, s);
        places.set(key, seen);
      }
      if (showsUp(seen, s) && !(await pipelineReported(trx, s))) {
        const previous = previousVersion(seen, s.version)?.version ?? null;
        const result = validateEvent(detectedEvent(s, previous), now, randomUUID);
        // Built from a stored event's own fields: failing here is a bug, retried then skipped by the runner.
        if (!result.ok) throw new Error(`detected deployment event is invalid: ${result.error}`);
        await writer.write(s.orgId, [result.event], now);
      }
      const before = seen.get(s.version);
      const merged: SeenVersion = {
        version: s.version,
        firstSeenAt: Math.min(before?.firstSeenAt ?? s.firstSeenAt, s.firstSeenAt),
        lastSeenAt: Math.max(before?.lastSeenAt ?? s.lastSeenAt, s.lastSeenAt),
      };
      seen.set(s.version, merged);
      await recordSeen(trx, s, merged);
    }
  },
};
