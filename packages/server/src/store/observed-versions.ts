/**
 * The versions seen per place in span events (migration 022), read and written by the version
 * detection consumer inside its batch transaction (every method takes that transaction), and the
 * candidates it leaves for the periodic decision after the grace period (migration 027).
 */
import type { Kysely } from 'kysely';
import { foldCase } from './fold-case.js';
import type { Database } from './schema.js';

interface ObservedVersionsTable {
  org_id: string;
  source: string;
  subject: string;
  version: string;
  first_seen_at: number;
  last_seen_at: number;
  /** Migration 027: a candidate awaiting its decision (all null when none). */
  pending_since: number | null;
  pending_noticed_at: number | null;
  pending_previous: string | null;
  pending_span: string | null;
}

type VersionsDatabase = Database & { observed_versions: ObservedVersionsTable };

/** A service in an environment of an organization. */
export interface Place {
  orgId: string;
  source: string;
  subject: string;
}

export interface SeenVersion {
  version: string;
  firstSeenAt: number;
  lastSeenAt: number;
}

/** Versions not seen for this long are forgotten: one seen again after that counts as new. */
export const FORGET_AFTER_MS = 90 * 86_400_000;

const versionsDb = (trx: Kysely<Database>) => trx as unknown as Kysely<VersionsDatabase>;

/** Every version seen at a place, by version. */
export async function seenVersions(trx: Kysely<Database>, place: Place): Promise<Map<string, SeenVersion>> {
  const rows = await versionsDb(trx)
    .selectFrom('observed_versions')
    .select(['version', 'first_seen_at', 'last_seen_at'])
    .where('org_id', '=', place.orgId)
    .where('source', '=', place.source)
    .where('subject', '=', place.subject)
    .execute();
  return new Map(
    rows.map((r) => [
      r.version,
      { version: r.version, firstSeenAt: Number(r.first_seen_at), lastSeenAt: Number(r.last_seen_at) },
    ]),
  );
}

/** Records what was seen of a version at a place (the caller merged it with what was stored), and forgets old ones. */
export async function recordSeen(trx: Kysely<Database>, place: Place, seen: SeenVersion): Promise<void> {
  const db = versionsDb(trx);
  await db
    .insertInto('observed_versions')
    .values({
      org_id: place.orgId,
      source: place.source,
      subject: place.subject,
      version: seen.version,
      first_seen_at: seen.firstSeenAt,
      last_seen_at: seen.lastSeenAt,
    })
    .onConflict((oc) =>
      oc.columns(['org_id', 'source', 'subject', 'version']).doUpdateSet({
        first_seen_at: seen.firstSeenAt,
        last_seen_at: seen.lastSeenAt,
      }),
    )
    .execute();
  await db
    .deleteFrom('observed_versions')
    .where('org_id', '=', place.orgId)
    .where('source', '=', place.source)
    .where('subject', '=', place.subject)
    .where('last_seen_at', '<', seen.lastSeenAt - FORGET_AFTER_MS)
    .execute();
}

/**
 * Events that may be deployments of this version at this place, stored with a time at or after
 * `since`, as `{id, type}`. The type filter is a superset of `isDeployType` (domain/environments.ts)
 * so spans of that version are not read; the caller applies `isDeployType` itself.
 */
export async function deploymentsOf(
  trx: Kysely<Database>,
  place: Place,
  version: string,
  since: number,
): Promise<{ id: string; type: string }[]> {
  return trx
    .selectFrom('events')
    .select(['id', 'type'])
    .where('org_id', '=', place.orgId)
    .where('source_lower', '=', foldCase(place.source))
    .where('subject_lower', '=', foldCase(place.subject))
    .where('version', '=', version)
    .where('time', '>=', since)
    .where((eb) =>
      eb.or([eb('type_lower', 'like', '%deploy%'), eb('type_lower', 'in', ['release', 'rollback'])]),
    )
    .limit(100)
    .execute();
}

/** A version that showed up at a place, waiting for the grace period before it is decided. */
export interface Candidate extends Place {
  version: string;
  /** The first span's time: the detected event's time. */
  firstSeenAt: number;
  /** When the server saw that span: the grace counts from here. */
  noticedAt: number;
  previousVersion: string | null;
  /** The first span's event id (`<traceId>-<spanId>`). */
  spanEventId: string;
}

/** Keeps a candidate on its version's row (recorded already); one waiting there already stays. */
export async function recordCandidate(trx: Kysely<Database>, c: Candidate): Promise<void> {
  await versionsDb(trx)
    .updateTable('observed_versions')
    .set({
      pending_since: c.firstSeenAt,
      pending_noticed_at: c.noticedAt,
      pending_previous: c.previousVersion,
      pending_span: c.spanEventId,
    })
    .where('org_id', '=', c.orgId)
    .where('source', '=', c.source)
    .where('subject', '=', c.subject)
    .where('version', '=', c.version)
    .where('pending_since', 'is', null)
    .execute();
}

/** Candidates noticed at or before `noticedBy`, oldest first, at most `limit` after skipping `offset`. */
export async function dueCandidates(
  db: Kysely<Database>,
  noticedBy: number,
  limit: number,
  offset = 0,
): Promise<Candidate[]> {
  const rows = await versionsDb(db)
    .selectFrom('observed_versions')
    .select([
      'org_id',
      'source',
      'subject',
      'version',
      'pending_since',
      'pending_noticed_at',
      'pending_previous',
      'pending_span',
    ])
    .where('pending_noticed_at', 'is not', null)
    .where('pending_noticed_at', '<=', noticedBy)
    .orderBy('pending_noticed_at')
    .orderBy('org_id')
    .orderBy('source')
    .orderBy('subject')
    .orderBy('version')
    .limit(limit)
    .offset(offset)
    .execute();
  return rows.map((r) => ({
    orgId: r.org_id,
    source: r.source,
    subject: r.subject,
    version: r.version,
    firstSeenAt: Number(r.pending_since),
    noticedAt: Number(r.pending_noticed_at),
    previousVersion: r.pending_previous,
    spanEventId: r.pending_span ?? '',
  }));
}

/**
 * Takes a candidate off its row if it is still there as read: true for exactly one caller, however
 * many instances decide at once (the conditional update is the claim). Made in the transaction that
 * writes the decision, so a failed write leaves the candidate for the next run.
 */
export async function claimCandidate(trx: Kysely<Database>, c: Candidate): Promise<boolean> {
  const result = await versionsDb(trx)
    .updateTable('observed_versions')
    .set({ pending_since: null, pending_noticed_at: null, pending_previous: null, pending_span: null })
    .where('org_id', '=', c.orgId)
    .where('source', '=', c.source)
    .where('subject', '=', c.subject)
    .where('version', '=', c.version)
    .where('pending_since', '=', c.firstSeenAt)
    .where('pending_noticed_at', '=', c.noticedAt)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
