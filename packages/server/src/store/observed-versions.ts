/**
 * The versions seen per place in span events (migration 022), read and written by the version
 * detection consumer inside its batch transaction (every method takes that transaction).
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
