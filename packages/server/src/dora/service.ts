/**
 * Delivery metrics on demand: the stored judgements of the deployments (dora/judgements.ts, made
 * current for the range first) are summed per period by covering indexes (store/dora-figures.ts:
 * counts, and the values of each median and p90), the first entries of each drill-down list read
 * a page at a time, and the figures made from them (domain/dora/metrics.ts); the answer has the
 * same size whatever the number of deployments, each list's total and link beside its first
 * entries (the rest: `events`, GET /api/v1/dora/events). The answer is kept per organization and
 * query. A cached answer is served while nothing that could change it happened: no deploy,
 * rollback or incident event stored after it (the rows stored since are read from the event log,
 * usually none or a few, so another instance's writes invalidate it too; the log cursor of an
 * entry moves past rows of other kinds), and no such event deleted (retention, DELETE, anything:
 * a deletion marks its day in `dora_dirty` by trigger, and the entry compares marks).
 */
import { formatTime } from '@opstrails/core';
import type { JudgedDeployment } from '../domain/dora/attribution.js';
import { isDoraType } from '../domain/dora/events.js';
import {
  combine,
  DORA_LISTS,
  type DoraHeads,
  type DoraList,
  type DoraNumbers,
  doraMetrics,
  LIST_CAP,
  LIST_ITEM,
  listTotal,
} from '../domain/dora/metrics.js';
import { type Period, periods } from '../domain/dora/stats.js';
import { formatWindow } from '../domain/dora/window.js';
import { PRODUCTION_LEVEL, rungOf } from '../domain/environments.js';
import { DoraFigureReads, type DoraScope, type ListKey } from '../store/dora-figures.js';
import { DoraQueries } from '../store/dora-queries.js';
import { DoraSettingsRepository } from '../store/dora-settings.js';
import type { LogPosition } from '../store/event-log.js';
import { foldCase } from '../store/fold-case.js';
import type { Store } from '../store/store.js';
import { DoraJudgements, dayOf, fromRow, SPREAD_DAYS } from './judgements.js';

export interface DoraQuery {
  from: number;
  to: number;
  period: Period;
  subject?: string;
  source?: string;
}

/** Cached answers kept (least recently computed dropped first). */
const CACHE_ENTRIES = 64;
/** Past this many new rows since an answer, recomputing is cheaper than checking them. */
const CHECK_ROWS = 2_000;

export type DoraAnswer = Awaited<ReturnType<DoraService['compute']>>['answer'];

interface Entry {
  answer: DoraAnswer;
  position: LogPosition;
  /** The last change mark when the answer was made, and the days whose changes would alter it. */
  mark: number;
  days: [number, number];
}

export class DoraService {
  private readonly queries: DoraQueries;
  private readonly figures: DoraFigureReads;
  readonly settings: DoraSettingsRepository;
  readonly judgements: DoraJudgements;
  private readonly cache = new Map<string, Entry>();
  /** Computations under way, so the same question asked at once is computed once. */
  private readonly computing = new Map<string, Promise<DoraAnswer>>();

  constructor(private readonly store: Store) {
    this.queries = new DoraQueries(store.readDb, store.engine);
    this.figures = new DoraFigureReads(store.readDb, store.engine);
    this.settings = new DoraSettingsRepository(store.db);
    this.judgements = new DoraJudgements(store);
  }

  /** The metrics for a query; `cached` says whether the answer was reused. */
  async metrics(orgId: string, query: DoraQuery): Promise<DoraAnswer & { cached: boolean }> {
    const { failureWindowMs } = await this.settings.get(orgId);
    const key = JSON.stringify([
      orgId,
      query.from,
      query.to,
      query.period,
      query.subject,
      query.source,
      failureWindowMs,
    ]);
    const entry = this.cache.get(key);
    if (entry && (await this.unchanged(orgId, entry))) return { ...entry.answer, cached: true };
    let computing = this.computing.get(key);
    if (!computing) {
      computing = this.computeAndKeep(key, orgId, query, failureWindowMs).finally(() =>
        this.computing.delete(key),
      );
      this.computing.set(key, computing);
    }
    return { ...(await computing), cached: false };
  }

  private async computeAndKeep(
    key: string,
    orgId: string,
    query: DoraQuery,
    failureWindowMs: number,
  ): Promise<DoraAnswer> {
    // Taken before reading: anything stored from here on is checked against the answer.
    const position = await this.store.log.head();
    const { answer, mark } = await this.compute(orgId, query, failureWindowMs);
    const previousFrom = query.from - (query.to - query.from);
    const days: [number, number] = [dayOf(previousFrom) - SPREAD_DAYS, dayOf(query.to - 1) + SPREAD_DAYS];
    this.cache.delete(key);
    this.cache.set(key, { answer, position, mark, days });
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return answer;
  }

  /** Whether no deploy, rollback or incident event was stored or deleted after the entry; moves its cursor forward. */
  private async unchanged(orgId: string, entry: Entry): Promise<boolean> {
    if (await this.judgements.repo.changedAfter(orgId, entry.mark, ...entry.days)) return false;
    const { rows, settled } = await this.queries.typesAfter(orgId, entry.position, CHECK_ROWS);
    if (rows.length === CHECK_ROWS || rows.some((row) => isDoraType(row.type))) return false;
    const last = rows.filter((row) => row.position.txid < settled).pop();
    if (last) entry.position = last.position;
    return true;
  }

  /** The folded subjects and source a query counts deployments of. */
  private async scope(orgId: string, query: DoraQuery): Promise<DoraScope> {
    // Subjects are matched in any case, like the events filters.
    const asked = query.subject === undefined ? undefined : foldCase(query.subject);
    const subjects = (await this.queries.distinct(orgId, 'subject_lower')).filter((s) =>
      asked === undefined ? rungOf(s)?.level === PRODUCTION_LEVEL : s === asked,
    );
    return { orgId, subjects, ...(query.source === undefined ? {} : { source: foldCase(query.source) }) };
  }

  /** The first entries of each list over [from, to), with the link to the rest. */
  private async heads(scope: DoraScope, query: DoraQuery, n: DoraNumbers, from: number, to: number) {
    const lists = await Promise.all(
      DORA_LISTS.map(async (list) => {
        const total = listTotal(n, list);
        const rows =
          total === 0
            ? []
            : await this.figures.page(scope, list, from, to, undefined, Math.min(LIST_CAP, total));
        const items = rows.map(fromRow);
        const last = items.at(-1);
        return [
          list,
          {
            items,
            href: eventsHref(list, { ...query, from, to }),
            nextCursor: last && total > items.length ? encodeListCursor(keyOf(last)) : null,
          },
        ] as const;
      }),
    );
    return Object.fromEntries(lists) as DoraHeads;
  }

  /** The answer, and the change mark it reflects. */
  async compute(orgId: string, query: DoraQuery, failureWindowMs: number) {
    const scope = await this.scope(orgId, query);
    const previousFrom = query.from - (query.to - query.from);
    const mark = await this.judgements.refresh(orgId, previousFrom, query.to, failureWindowMs);
    const each = periods(query.from, query.to, query.period);
    const [previous, ...numbers] = await this.figures.buckets(scope, [[previousFrom, query.from], ...each]);
    const current = numbers as DoraNumbers[];
    const periodNumbers = each.map(([start], i) => ({ start, numbers: current[i] as DoraNumbers }));
    const [heads, previousHeads] = await Promise.all([
      this.heads(scope, query, combine(current), query.from, query.to),
      this.heads(scope, query, previous as DoraNumbers, previousFrom, query.from),
    ]);
    const answer = {
      from: formatTime(query.from),
      to: formatTime(query.to),
      subject: query.subject ?? null,
      subjects: await this.queries.spellings(orgId, scope.subjects),
      source: query.source ?? null,
      period: query.period,
      failureWindow: formatWindow(failureWindowMs),
      computedAt: formatTime(Date.now()),
      ...doraMetrics({
        from: query.from,
        to: query.to,
        periods: periodNumbers,
        previous: previous as DoraNumbers,
        heads,
        previousHeads,
      }),
    };
    return { answer, mark };
  }

  /**
   * One page of a drill-down list over the query's range (its `period` unused), after `cursor`
   * (from `nextCursor`): the entries as the answer shows them, the list's total, and the cursor
   * of the next page (null after the last).
   */
  async events(orgId: string, query: DoraQuery, list: DoraList, cursor: ListKey | undefined, limit: number) {
    const { failureWindowMs } = await this.settings.get(orgId);
    const scope = await this.scope(orgId, query);
    await this.judgements.refresh(orgId, query.from, query.to, failureWindowMs);
    const [rows, total] = await Promise.all([
      this.figures.page(scope, list, query.from, query.to, cursor, limit + 1),
      this.figures.count(scope, list, query.from, query.to),
    ]);
    const items = rows.slice(0, limit).map(fromRow);
    const last = items.at(-1);
    const item = LIST_ITEM[list] as (j: JudgedDeployment) => unknown;
    return {
      metric: list,
      from: formatTime(query.from),
      to: formatTime(query.to),
      subject: query.subject ?? null,
      source: query.source ?? null,
      failureWindow: formatWindow(failureWindowMs),
      total,
      items: items.map(item),
      nextCursor: last && rows.length > limit ? encodeListCursor(keyOf(last)) : null,
    };
  }
}

const keyOf = (j: JudgedDeployment): ListKey => ({
  time: j.deployment.time,
  id: j.deployment.id,
  source: j.deployment.source,
});

/** A list cursor: the last entry shown, as opaque text. */
export function encodeListCursor(key: ListKey): string {
  return Buffer.from(JSON.stringify([key.time, key.id, key.source])).toString('base64url');
}

/** The entry a cursor names, or undefined when it is not one this server gave out. */
export function decodeListCursor(text: string): ListKey | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString());
    if (
      Array.isArray(value) &&
      value.length === 3 &&
      Number.isSafeInteger(value[0]) &&
      typeof value[1] === 'string' &&
      typeof value[2] === 'string'
    )
      return { time: value[0], id: value[1], source: value[2] };
  } catch {
    // Not base64 JSON: not ours.
  }
  return undefined;
}

/** The link to a whole list: GET /api/v1/dora/events with the question's range, subject and source. */
function eventsHref(
  list: DoraList,
  q: { from: number; to: number; subject?: string; source?: string },
): string {
  const params = new URLSearchParams({ metric: list, from: formatTime(q.from), to: formatTime(q.to) });
  if (q.subject !== undefined) params.set('subject', q.subject);
  if (q.source !== undefined) params.set('source', q.source);
  return `/api/v1/dora/events?${params}`;
}

const services = new WeakMap<Store, DoraService>();

/** The one DORA service of a store (its cache is shared by the API and the MCP tool). */
export function doraService(store: Store): DoraService {
  let service = services.get(store);
  if (!service) {
    service = new DoraService(store);
    services.set(store, service);
  }
  return service;
}
