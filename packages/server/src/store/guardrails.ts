/**
 * Guardrails in the store (migration 012): freeze windows and deployment policies per
 * organization, the violations the guardrails consumer records, and the earlier events a
 * policy's rule needs (one indexed read per rule and event).
 */
import { ApiError, formatTime } from '@opstrails/core';
import { type Kysely, sql } from 'kysely';
import { counts } from '../domain/guardrails/policy.js';
import type { HistoryNeed } from '../domain/guardrails/rules/rule.js';
import {
  type DeploymentPolicy,
  type Filters,
  type Finding,
  type FreezeWindow,
  GUARDED_TYPES,
  type JudgedEvent,
  type Recurrence,
  type RuleType,
} from '../domain/guardrails/types.js';
import type { Engine } from './engine.js';
import type { LogPosition } from './event-log.js';
import { foldCase } from './fold-case.js';
import { type GuardrailDatabase, withGuardrailTables } from './guardrail-tables.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

interface Stored {
  orgId: string;
  notificationChannels: string[];
  createdAt: number;
  updatedAt: number;
}

export interface StoredFreeze extends FreezeWindow, Stored {
  /** Grows with every edit: notifications of an edited window are keyed anew. */
  revision: number;
  /** The start of the window or occurrence a violation was recorded for; null until one is. */
  violatedOccurrence: number | null;
}

export interface StoredPolicy extends DeploymentPolicy, Stored {}

export type FreezeInput = Omit<FreezeWindow, 'id'> & { notificationChannels: string[] };
export type PolicyInput = Omit<DeploymentPolicy, 'id'> & { notificationChannels: string[] };

/** The event a violation was recorded for, as the violations answer shows it. */
export interface ViolatingEvent {
  seq: number;
  id: string;
  source: string;
  type: string;
  subject: string | null;
  version: string | null;
  time: number;
}

export interface Violation {
  id: string;
  guardrailType: Finding['guardrailType'];
  guardrailId: string;
  guardrailName: string;
  ruleType: string;
  reason: string;
  event: ViolatingEvent;
  createdAt: number;
}

const filtersJson = (f: Filters) =>
  JSON.stringify({ subjects: f.subjects, sources: f.sources, types: f.types, severities: f.severities });

function readFilters(text: string): Filters {
  const f = JSON.parse(text) as Partial<Filters>;
  return {
    subjects: f.subjects ?? [],
    sources: f.sources ?? [],
    types: f.types ?? [],
    severities: f.severities ?? [],
  };
}

type FreezeRow = GuardrailDatabase['guardrail_freezes'];
type PolicyRow = GuardrailDatabase['guardrail_policies'];

const toFreeze = (r: FreezeRow): StoredFreeze => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  startsAt: Number(r.starts_at),
  endsAt: Number(r.ends_at),
  ...readFilters(r.filters),
  notificationChannels: JSON.parse(r.channels) as string[],
  enabled: Number(r.enabled) === 1,
  recurrence: r.recurrence === null ? null : (JSON.parse(r.recurrence) as Recurrence),
  revision: Number(r.revision),
  violatedOccurrence: r.violated_occurrence === null ? null : Number(r.violated_occurrence),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const toPolicy = (r: PolicyRow): StoredPolicy => ({
  id: r.id,
  orgId: r.org_id,
  name: r.name,
  ruleType: r.rule_type as RuleType,
  config: JSON.parse(r.config) as Record<string, unknown>,
  ...readFilters(r.filters),
  severities: [],
  notificationChannels: JSON.parse(r.channels) as string[],
  enabled: Number(r.enabled) === 1,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

const CURSOR_HINT = 'pass the nextCursor of a previous answer unchanged';

/** The cursor after a violation (its event's time, its id): exported for the MCP tool, which pages within a page to fit its answer. */
export function encodeCursor(time: number, id: string): string {
  return Buffer.from(JSON.stringify([time, id])).toString('base64url');
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown;
    if (Array.isArray(v) && typeof v[0] === 'number' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // answered below
  }
  throw new ApiError('VALIDATION_ERROR', `cursor: is not a cursor of this list; ${CURSOR_HINT}`);
}

export class GuardrailRepository {
  private readonly db: Kysely<GuardrailDatabase>;

  constructor(
    db: Kysely<Database>,
    private readonly engine: Engine,
  ) {
    this.db = withGuardrailTables(db);
  }

  private on(db?: Kysely<Database>): Kysely<GuardrailDatabase> {
    return db ? withGuardrailTables(db) : this.db;
  }

  // Freeze windows

  async listFreezes(orgId: string): Promise<StoredFreeze[]> {
    const rows = await this.db
      .selectFrom('guardrail_freezes')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('starts_at')
      .orderBy('id')
      .execute();
    return rows.map(toFreeze);
  }

  async getFreeze(orgId: string, id: string): Promise<StoredFreeze | null> {
    const row = await this.db
      .selectFrom('guardrail_freezes')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toFreeze(row) : null;
  }

  async countFreezes(orgId: string): Promise<number> {
    const row = await this.db
      .selectFrom('guardrail_freezes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  private freezeColumns(input: FreezeInput) {
    return {
      name: input.name,
      starts_at: input.startsAt,
      ends_at: input.endsAt,
      filters: filtersJson(input),
      channels: JSON.stringify(input.notificationChannels),
      enabled: input.enabled ? 1 : 0,
      recurrence: input.recurrence ? JSON.stringify(input.recurrence) : null,
    };
  }

  async createFreeze(orgId: string, input: FreezeInput, now = Date.now()): Promise<StoredFreeze> {
    const row = {
      id: newId('frz'),
      org_id: orgId,
      ...this.freezeColumns(input),
      revision: 0,
      violated_occurrence: null,
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('guardrail_freezes').values(row).execute();
    return toFreeze(row);
  }

  /** Replaces a window's definition; an edit resets a violated window to its time-derived state. */
  async updateFreeze(
    orgId: string,
    id: string,
    input: FreezeInput,
    now = Date.now(),
  ): Promise<StoredFreeze | null> {
    await this.db
      .updateTable('guardrail_freezes')
      .set((eb) => ({
        ...this.freezeColumns(input),
        revision: eb('revision', '+', 1),
        violated_occurrence: null,
        updated_at: now,
      }))
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    return this.getFreeze(orgId, id);
  }

  async deleteFreeze(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('guardrail_freezes')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** Records that a window (or one occurrence) was broken, unless it was edited since `revision`. */
  async markViolated(id: string, revision: number, occurrence: number, db?: Kysely<Database>): Promise<void> {
    await this.on(db)
      .updateTable('guardrail_freezes')
      .set({ violated_occurrence: occurrence })
      .where('id', '=', id)
      .where('revision', '=', revision)
      // An event sent late for an earlier occurrence leaves the latest one's mark.
      .where((eb) =>
        eb.or([eb('violated_occurrence', 'is', null), eb('violated_occurrence', '<', occurrence)]),
      )
      .execute();
  }

  // Deployment policies

  async listPolicies(orgId: string): Promise<StoredPolicy[]> {
    const rows = await this.db
      .selectFrom('guardrail_policies')
      .selectAll()
      .where('org_id', '=', orgId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(toPolicy);
  }

  async getPolicy(orgId: string, id: string): Promise<StoredPolicy | null> {
    const row = await this.db
      .selectFrom('guardrail_policies')
      .selectAll()
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? toPolicy(row) : null;
  }

  async countPolicies(orgId: string): Promise<number> {
    const row = await this.db
      .selectFrom('guardrail_policies')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('org_id', '=', orgId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  private policyColumns(input: PolicyInput) {
    return {
      name: input.name,
      rule_type: input.ruleType,
      config: JSON.stringify(input.config),
      filters: filtersJson({ ...input, severities: [] }),
      channels: JSON.stringify(input.notificationChannels),
      enabled: input.enabled ? 1 : 0,
    };
  }

  async createPolicy(orgId: string, input: PolicyInput, now = Date.now()): Promise<StoredPolicy> {
    const row = {
      id: newId('pol'),
      org_id: orgId,
      ...this.policyColumns(input),
      created_at: now,
      updated_at: now,
    };
    await this.db.insertInto('guardrail_policies').values(row).execute();
    return toPolicy(row);
  }

  async updatePolicy(
    orgId: string,
    id: string,
    input: PolicyInput,
    now = Date.now(),
  ): Promise<StoredPolicy | null> {
    await this.db
      .updateTable('guardrail_policies')
      .set({ ...this.policyColumns(input), updated_at: now })
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .execute();
    return this.getPolicy(orgId, id);
  }

  async deletePolicy(orgId: string, id: string): Promise<boolean> {
    const r = await this.db
      .deleteFrom('guardrail_policies')
      .where('org_id', '=', orgId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(r.numDeletedRows) > 0;
  }

  /** The enabled windows and policies of these organizations (what the consumer judges a batch with). */
  async enabledFor(
    orgIds: string[],
    db?: Kysely<Database>,
  ): Promise<Map<string, { freezes: StoredFreeze[]; policies: StoredPolicy[] }>> {
    const out = new Map<string, { freezes: StoredFreeze[]; policies: StoredPolicy[] }>();
    if (orgIds.length === 0) return out;
    const q = this.on(db);
    const [freezes, policies] = [
      await q
        .selectFrom('guardrail_freezes')
        .selectAll()
        .where('org_id', 'in', orgIds)
        .where('enabled', '=', 1)
        .execute(),
      await q
        .selectFrom('guardrail_policies')
        .selectAll()
        .where('org_id', 'in', orgIds)
        .where('enabled', '=', 1)
        .orderBy('created_at')
        .execute(),
    ];
    const slot = (orgId: string) => {
      let s = out.get(orgId);
      if (!s) {
        s = { freezes: [], policies: [] };
        out.set(orgId, s);
      }
      return s;
    };
    for (const r of freezes) slot(r.org_id).freezes.push(toFreeze(r));
    for (const r of policies) slot(r.org_id).policies.push(toPolicy(r));
    return out;
  }

  /**
   * The earlier events a policy's rule needs to judge `e` (see HistoryNeed): stored before the
   * log position `before` (the consumer judges in commit order), or every stored one (`null`,
   * the check endpoint). Narrowed in SQL on indexed columns, then exactly by the rule's own test.
   */
  async history(
    orgId: string,
    policy: DeploymentPolicy,
    need: HistoryNeed,
    e: JudgedEvent,
    before: LogPosition | null,
    db: Kysely<Database> = this.db as unknown as Kysely<Database>,
  ): Promise<JudgedEvent[]> {
    const sameAs = need.sameSourceAndSubject ? { source: e.source, subject: e.subject } : undefined;
    const rows = await this.historyRows(orgId, policy, need, sameAs, before, need.limit, db);
    return rows.filter((x) => counts(policy, need, e, x));
  }

  /**
   * The newest `cap` events `policy` could count in [from, to], stored before `before`, the
   * newest first, for a batch of events judged at once (guardrails/judge.ts `judgeBatch`);
   * `complete` says whether that is all of them.
   */
  async historySpan(
    orgId: string,
    policy: DeploymentPolicy,
    span: { from: number; to: number; types?: readonly string[] },
    sameAs: { source: string; subject: string | null } | undefined,
    before: LogPosition | null,
    cap: number,
    db: Kysely<Database> = this.db as unknown as Kysely<Database>,
  ): Promise<{ rows: JudgedEvent[]; complete: boolean }> {
    const rows = await this.historyRows(
      orgId,
      policy,
      { ...span, newestFirst: true },
      sameAs,
      before,
      cap + 1,
      db,
    );
    return rows.length > cap ? { rows: rows.slice(0, cap), complete: false } : { rows, complete: true };
  }

  /** The history query: narrowed in SQL on indexed columns; the rule's own test (`counts`) is the caller's. */
  private async historyRows(
    orgId: string,
    policy: DeploymentPolicy,
    need: Pick<HistoryNeed, 'from' | 'to' | 'types' | 'newestFirst'>,
    sameAs: { source: string; subject: string | null } | undefined,
    before: LogPosition | null,
    limit: number | undefined,
    db: Kysely<Database>,
  ): Promise<JudgedEvent[]> {
    const guarded = GUARDED_TYPES as readonly string[];
    const types = (need.types ?? (policy.types.length > 0 ? policy.types : GUARDED_TYPES))
      .map(foldCase)
      .filter((t) => guarded.includes(t));
    if (types.length === 0) return [];
    let q = db
      .selectFrom('events')
      .select(['type', 'source', 'subject', 'severity', 'time'])
      .where('org_id', '=', orgId)
      .where('type_lower', 'in', types)
      .where('time', '>=', need.from)
      .where('time', '<=', need.to);
    if (sameAs) {
      // The folded column leads the planner to events_source_lower_time: one source's rows in the window.
      q = q.where('source_lower', '=', foldCase(sameAs.source)).where('source', '=', sameAs.source);
      q = sameAs.subject === null ? q.where('subject', 'is', null) : q.where('subject', '=', sameAs.subject);
    }
    if (policy.sources.length > 0) q = q.where('source_lower', 'in', policy.sources.map(foldCase));
    if (policy.subjects.length > 0) q = q.where('subject_lower', 'in', policy.subjects.map(foldCase));
    if (before) {
      q =
        this.engine === 'postgres'
          ? q.where(sql<boolean>`(txid, seq) < (${before.txid}, ${before.seq})`)
          : q.where('seq', '<', before.seq);
    }
    if (need.newestFirst) q = q.orderBy('time', 'desc');
    if (limit !== undefined) q = q.limit(limit);
    const rows = await q.execute();
    return rows.map((r) => ({
      type: r.type,
      source: r.source,
      subject: r.subject,
      severity: r.severity,
      time: Number(r.time),
    }));
  }

  // Violations

  async recordViolations(
    orgId: string,
    found: { finding: Finding; event: ViolatingEvent }[],
    db?: Kysely<Database>,
    now = Date.now(),
  ): Promise<void> {
    if (found.length === 0) return;
    await this.on(db)
      .insertInto('guardrail_violations')
      .values(
        found.map(({ finding, event }) => ({
          id: newId('vio'),
          org_id: orgId,
          guardrail_type: finding.guardrailType,
          guardrail_id: finding.guardrailId,
          guardrail_name: finding.guardrailName,
          rule_type: finding.ruleType,
          reason: finding.reason,
          event_seq: event.seq,
          event_id: event.id,
          event_source: event.source,
          event_type: event.type,
          event_subject: event.subject,
          event_version: event.version,
          event_time: event.time,
          created_at: now,
        })),
      )
      .onConflict((oc) => oc.columns(['guardrail_id', 'event_seq']).doNothing())
      .execute();
  }

  /**
   * Deletes the violations of events older than `beforeMs` (retention deletes those events), in
   * batches of `batch` rows per statement on the (org_id, event_time) index; answers how many.
   */
  async pruneViolations(orgId: string, beforeMs: number, batch = 500): Promise<number> {
    let deleted = 0;
    for (;;) {
      const ids = await this.db
        .selectFrom('guardrail_violations')
        .select('id')
        .where('org_id', '=', orgId)
        .where('event_time', '<', beforeMs)
        .limit(batch)
        .execute();
      if (ids.length === 0) return deleted;
      const result = await this.db
        .deleteFrom('guardrail_violations')
        .where(
          'id',
          'in',
          ids.map((r) => r.id),
        )
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
      if (ids.length < batch) return deleted;
    }
  }

  /** Violations by the violating event's time, newest first, `limit` a page, `cursor` from the previous page. */
  async listViolations(
    orgId: string,
    options: { from?: number; to?: number; limit: number; cursor?: string; eventIds?: string[] },
  ): Promise<{ violations: Violation[]; nextCursor: string | null }> {
    let q = this.db.selectFrom('guardrail_violations').selectAll().where('org_id', '=', orgId);
    if (options.from !== undefined) q = q.where('event_time', '>=', options.from);
    if (options.to !== undefined) q = q.where('event_time', '<=', options.to);
    if (options.eventIds) q = q.where('event_id', 'in', options.eventIds);
    if (options.cursor) {
      const [time, id] = decodeCursor(options.cursor);
      q = q.where((eb) =>
        eb.or([eb('event_time', '<', time), eb.and([eb('event_time', '=', time), eb('id', '<', id)])]),
      );
    }
    const rows = await q
      .orderBy('event_time', 'desc')
      .orderBy('id', 'desc')
      .limit(options.limit + 1)
      .execute();
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    return {
      violations: page.map((r) => ({
        id: r.id,
        guardrailType: r.guardrail_type as Finding['guardrailType'],
        guardrailId: r.guardrail_id,
        guardrailName: r.guardrail_name,
        ruleType: r.rule_type,
        reason: r.reason,
        event: {
          seq: Number(r.event_seq),
          id: r.event_id,
          source: r.event_source,
          type: r.event_type,
          subject: r.event_subject,
          version: r.event_version,
          time: Number(r.event_time),
        },
        createdAt: Number(r.created_at),
      })),
      nextCursor: rows.length > options.limit && last ? encodeCursor(Number(last.event_time), last.id) : null,
    };
  }
}

/** The wire form of a violation (extended API section 4). */
export function violationAnswer(v: Violation) {
  return {
    id: v.id,
    guardrailType: v.guardrailType,
    guardrailId: v.guardrailId,
    guardrailName: v.guardrailName,
    ruleType: v.ruleType,
    reason: v.reason,
    event: {
      id: v.event.id,
      source: v.event.source,
      type: v.event.type,
      subject: v.event.subject,
      version: v.event.version,
      time: formatTime(v.event.time),
    },
    createdAt: formatTime(v.createdAt),
  };
}
