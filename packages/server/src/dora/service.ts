/**
 * Delivery metrics on demand: the stored judgement of each deployment (dora/judgements.ts, made
 * current for the range first) is read by an indexed range (store/dora-judgements.ts), and the
 * figures are made from it (domain/dora/metrics.ts); the answer is kept per organization and
 * query. A cached answer is served while nothing that could change it happened: no deploy,
 * rollback or incident event stored after it (the rows stored since are read from the event log,
 * usually none or a few, so another instance's writes invalidate it too; the log cursor of an
 * entry moves past rows of other kinds), and no such event deleted (retention, DELETE, anything:
 * a deletion marks its day in `dora_dirty` by trigger, and the entry compares marks).
 */
import { formatTime } from '@opstrails/core';
import { isDoraType } from '../domain/dora/events.js';
import { doraMetrics } from '../domain/dora/metrics.js';
import type { Period } from '../domain/dora/stats.js';
import { formatWindow } from '../domain/dora/window.js';
import { PRODUCTION_LEVEL, rungOf } from '../domain/environments.js';
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

/** Cached answers kept (least recently computed dropped first); a large organization's answer lists thousands of events. */
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
  readonly settings: DoraSettingsRepository;
  readonly judgements: DoraJudgements;
  private readonly cache = new Map<string, Entry>();
  /** Computations under way, so the same question asked at once is computed once. */
  private readonly computing = new Map<string, Promise<DoraAnswer>>();

  constructor(private readonly store: Store) {
    this.queries = new DoraQueries(store.readDb, store.engine);
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

  /** The answer, and the change mark it reflects. */
  async compute(orgId: string, query: DoraQuery, failureWindowMs: number) {
    // Subjects are matched in any case, like the events filters.
    const asked = query.subject === undefined ? undefined : foldCase(query.subject);
    const subjects = (await this.queries.distinct(orgId, 'subject_lower')).filter((s) =>
      asked === undefined ? rungOf(s)?.level === PRODUCTION_LEVEL : s === asked,
    );
    const previousFrom = query.from - (query.to - query.from);
    const source = query.source === undefined ? undefined : foldCase(query.source);
    const mark = await this.judgements.refresh(orgId, previousFrom, query.to, failureWindowMs);
    const rows = await this.judgements.repo.read(orgId, subjects, previousFrom, query.to, source);
    const answer = {
      from: formatTime(query.from),
      to: formatTime(query.to),
      subject: query.subject ?? null,
      subjects: await this.queries.spellings(orgId, subjects),
      source: query.source ?? null,
      period: query.period,
      failureWindow: formatWindow(failureWindowMs),
      computedAt: formatTime(Date.now()),
      ...doraMetrics(rows.map(fromRow), { from: query.from, to: query.to, period: query.period, source }),
    };
    return { answer, mark };
  }
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
