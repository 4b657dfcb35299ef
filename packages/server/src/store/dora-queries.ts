/**
 * The reads behind the delivery metrics (domain/dora), all on existing indexes and on the folded
 * (lower-case) columns of migration 006, so types and subjects match in any case:
 * the distinct types and subjects of an organization by a loose index scan (one index probe per
 * distinct value on `events_type_lower_time` / `events_subject_lower_time`, however many events),
 * the deployments, rollbacks and incidents of a time range by `events_type_lower_time`, and the
 * first deploy of each version from the covering index `events_version_source` alone.
 */
import { type Kysely, sql } from 'kysely';
import type { DoraEvent } from '../domain/dora/events.js';
import { distinctFolded } from './distinct-values.js';
import type { Engine } from './engine.js';
import type { LogPosition } from './event-log.js';
import type { Database } from './schema.js';

/** SQLite and PostgreSQL both accept a few thousand bound values; larger IN lists are split. */
const IN_CHUNK = 500;

const chunks = <T>(list: T[]): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += IN_CHUNK) out.push(list.slice(i, i + IN_CHUNK));
  return out;
};

export interface VersionFirst {
  source: string;
  subject: string | null;
  version: string;
  /** The first time (ms) this source deployed this version to this subject. */
  first: number;
}

/** The oldest transaction id still running (PostgreSQL), evaluated in the reading statement. */
const HORIZON = sql<number>`(select pg_snapshot_xmin(pg_current_snapshot())::text::bigint)`;

export class DoraQueries {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly engine: Engine,
  ) {}

  /**
   * The folded types, times and log positions of up to `limit` rows stored after `after`, in log order
   * (see event-log.ts), by a range of `events_org_log`, and `settled`: rows with a txid below it
   * can no longer be joined by a row committed late (every row when it is Infinity), so a reader
   * may move its position up to the last of them. On SQLite every row has txid 0 and the range is
   * on seq alone (a row-value comparison would make SQLite scan every txid = 0 row); on
   * PostgreSQL `settled` is the snapshot horizon taken before the read.
   */
  async typesAfter(orgId: string, after: LogPosition, limit: number) {
    let q = this.db
      .selectFrom('events')
      .select(['type_lower', 'time', 'txid', 'seq'])
      .where('org_id', '=', orgId);
    let settled = Number.POSITIVE_INFINITY;
    if (this.engine === 'sqlite') {
      q = q.where('txid', '=', 0).where('seq', '>', after.seq);
    } else {
      const { rows } = await sql<{ horizon: string }>`select ${HORIZON} as horizon`.execute(this.db);
      settled = Number(rows[0]?.horizon);
      q = q.where((eb) => eb(eb.refTuple('txid', 'seq'), '>', eb.tuple(after.txid, after.seq)));
    }
    const rows = await q.orderBy('txid').orderBy('seq').limit(limit).execute();
    return {
      rows: rows.map((r) => ({
        type: r.type_lower,
        time: Number(r.time),
        position: { txid: Number(r.txid), seq: Number(r.seq) },
      })),
      settled,
    };
  }

  /** Every distinct folded `type` or `subject` of the organization, without reading its events. */
  async distinct(orgId: string, column: 'type_lower' | 'subject_lower'): Promise<string[]> {
    return distinctFolded(this.db, orgId, column);
  }

  /** A stored spelling of each folded subject (the answer names subjects as they were sent). */
  async spellings(orgId: string, folded: string[]): Promise<string[]> {
    const out: string[] = [];
    for (const subject of folded) {
      const row = await this.db
        .selectFrom('events')
        .select('subject')
        .where('org_id', '=', orgId)
        .where('subject_lower', '=', subject)
        .limit(1)
        .executeTakeFirst();
      out.push(row?.subject ?? subject);
    }
    return out;
  }

  /**
   * Events of these folded types in [from, to], oldest first; with `subjects` (folded), only on
   * those subjects. Only the fields the computation reads.
   */
  async events(
    orgId: string,
    types: string[],
    from: number,
    to: number,
    subjects?: string[],
  ): Promise<DoraEvent[]> {
    if (types.length === 0 || subjects?.length === 0) return [];
    const out: DoraEvent[] = [];
    for (const typeChunk of chunks(types)) {
      let q = this.db
        .selectFrom('events')
        .select([
          'id',
          'source',
          'type',
          'subject',
          'time',
          'version',
          'severity',
          'data',
          'correlationid',
          'causationid',
        ])
        .where('org_id', '=', orgId)
        .where('type_lower', 'in', typeChunk)
        .where('time', '>=', from)
        .where('time', '<=', to);
      if (subjects) q = q.where('subject_lower', 'in', subjects);
      for (const row of await q.execute()) {
        out.push({
          id: row.id,
          source: row.source,
          type: row.type,
          subject: row.subject,
          time: Number(row.time),
          version: row.version,
          severity: row.severity,
          data: row.data === null ? null : (JSON.parse(row.data) as Record<string, unknown>),
          ...(row.correlationid === null ? {} : { correlationid: row.correlationid }),
          ...(row.causationid === null ? {} : { causationid: row.causationid }),
        });
      }
    }
    return out.sort((a, b) => a.time - b.time);
  }

  /** When each source first deployed each of `versions` to each subject (events whose type `isDeploy` accepts). */
  async versionFirsts(
    orgId: string,
    versions: string[],
    isDeploy: (type: string) => boolean,
  ): Promise<VersionFirst[]> {
    if (versions.length === 0) return [];
    const out: VersionFirst[] = [];
    for (const versionChunk of chunks(versions)) {
      const rows = await this.db
        .selectFrom('events')
        .select(['source', 'subject', 'version', 'type', (eb) => eb.fn.min('time').as('first')])
        .where('org_id', '=', orgId)
        .where('version', 'in', versionChunk)
        .groupBy(['source', 'subject', 'version', 'type'])
        .execute();
      for (const r of rows) {
        if (!isDeploy(r.type)) continue;
        out.push({
          source: r.source,
          subject: r.subject,
          version: r.version as string,
          first: Number(r.first),
        });
      }
    }
    return out;
  }
}
