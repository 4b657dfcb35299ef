/**
 * Delivery metrics on demand: fetches an organization's deployments, rollbacks and incidents
 * with indexed reads (store/dora-queries.ts), judges them (domain/dora) and keeps the answer per
 * organization and query. A cached answer is served while no deploy, rollback or incident event
 * has been stored after it: before serving, the rows stored since are read from the event log
 * (usually none or a few), so another instance's writes invalidate it too. The log cursor of an
 * entry moves past rows of other kinds, so the check only ever reads rows it has not seen.
 */
import { formatTime } from '@opstrails/core';
import { type JudgedDeployment, judgeTimeline, type VersionHistory } from '../domain/dora/attribution.js';
import { isDeploymentType, isDoraType } from '../domain/dora/events.js';
import { doraMetrics } from '../domain/dora/metrics.js';
import { DAY_MS, type Period } from '../domain/dora/stats.js';
import { formatWindow } from '../domain/dora/window.js';
import { PRODUCTION_LEVEL, rungOf } from '../domain/environments.js';
import { DoraQueries, type VersionFirst } from '../store/dora-queries.js';
import { DoraSettingsRepository } from '../store/dora-settings.js';
import type { LogPosition } from '../store/event-log.js';
import { foldCase } from '../store/fold-case.js';
import type { Store } from '../store/store.js';

export interface DoraQuery {
  from: number;
  to: number;
  period: Period;
  subject?: string;
  source?: string;
}

/** How far past the range a deployment's fate is looked for (incidents, rollbacks, restores). */
export const LOOKAHEAD_MS = 7 * DAY_MS;
/** Cached answers kept (least recently computed dropped first); a large organization's answer lists thousands of events. */
const CACHE_ENTRIES = 64;
/** Past this many new rows since an answer, recomputing is cheaper than checking them. */
const CHECK_ROWS = 2_000;

export type DoraAnswer = Awaited<ReturnType<DoraService['compute']>>;

interface Entry {
  answer: DoraAnswer;
  position: LogPosition;
}

export class DoraService {
  private readonly queries: DoraQueries;
  readonly settings: DoraSettingsRepository;
  private readonly cache = new Map<string, Entry>();
  /** Computations under way, so the same question asked at once is computed once. */
  private readonly computing = new Map<string, Promise<DoraAnswer>>();

  constructor(private readonly store: Store) {
    this.queries = new DoraQueries(store.readDb, store.engine);
    this.settings = new DoraSettingsRepository(store.db);
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
    const answer = await this.compute(orgId, query, failureWindowMs);
    this.cache.delete(key);
    this.cache.set(key, { answer, position });
    if (this.cache.size > CACHE_ENTRIES) this.cache.delete(this.cache.keys().next().value as string);
    return answer;
  }

  /** Whether no deploy, rollback or incident event was stored after the entry; moves its cursor forward. */
  private async unchanged(orgId: string, entry: Entry): Promise<boolean> {
    const { rows, settled } = await this.queries.typesAfter(orgId, entry.position, CHECK_ROWS);
    if (rows.length === CHECK_ROWS || rows.some((row) => isDoraType(row.type))) return false;
    const last = rows.filter((row) => row.position.txid < settled).pop();
    if (last) entry.position = last.position;
    return true;
  }

  async compute(orgId: string, query: DoraQuery, failureWindowMs: number) {
    // Types, subjects and sources are matched in any case, like the events filters.
    const types = (await this.queries.distinct(orgId, 'type_lower')).filter(isDoraType);
    const deployTypes = types.filter(isDeploymentType);
    const asked = query.subject === undefined ? undefined : foldCase(query.subject);
    const subjects = (await this.queries.distinct(orgId, 'subject_lower')).filter((s) =>
      asked === undefined ? rungOf(s)?.level === PRODUCTION_LEVEL : s === asked,
    );
    const previousFrom = query.from - (query.to - query.from);
    const until = query.to + LOOKAHEAD_MS;
    const [deployments, others] = await Promise.all([
      this.queries.events(orgId, deployTypes, previousFrom, until, subjects),
      this.queries.events(
        orgId,
        types.filter((t) => !isDeploymentType(t)),
        previousFrom,
        until,
      ),
    ]);
    const versions = [...new Set(deployments.flatMap((d) => (d.version ? [d.version] : [])))];
    const history = versionHistory(await this.queries.versionFirsts(orgId, versions, isDeploymentType));
    const measured = new Set(subjects);
    const judged: JudgedDeployment[] = judgeTimeline({
      events: [...deployments, ...others],
      measured: (subject) => measured.has(foldCase(subject)),
      failureWindowMs,
      versions: history,
    });
    return {
      from: formatTime(query.from),
      to: formatTime(query.to),
      subject: query.subject ?? null,
      subjects: await this.queries.spellings(orgId, subjects),
      source: query.source ?? null,
      period: query.period,
      failureWindow: formatWindow(failureWindowMs),
      computedAt: formatTime(Date.now()),
      ...doraMetrics(judged, {
        from: query.from,
        to: query.to,
        period: query.period,
        source: query.source === undefined ? undefined : foldCase(query.source),
      }),
    };
  }
}

function versionHistory(firsts: VersionFirst[]): VersionHistory {
  const anywhere = new Map<string, number>();
  const onStream = new Map<string, number>();
  for (const f of firsts) {
    const a = `${f.source}\u0000${f.version}`;
    anywhere.set(a, Math.min(anywhere.get(a) ?? f.first, f.first));
    onStream.set(`${f.source}\u0000${f.subject}\u0000${f.version}`, f.first);
  }
  return {
    firstAnywhere: (source, version) => anywhere.get(`${source}\u0000${version}`),
    firstOnStream: (source, subject, version) => onStream.get(`${source}\u0000${subject}\u0000${version}`),
  };
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
