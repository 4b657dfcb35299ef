/**
 * The five delivery metrics over a range, made from numbers summed over the judged deployments
 * (store/dora-figures.ts: counts and the sorted values behind each median and p90, per bucket)
 * and the first page of each drill-down list: each figure with its counts, its band, the first
 * events it counts and a link to all of them (GET /api/v1/dora/events), a series per period,
 * and the same figures for the period before. Wire shape: extended API section 6.
 */
import { formatTime } from '@opstrails/core';
import type { JudgedDeployment } from './attribution.js';
import { BAND_TABLE, type Band, failureRateBand, frequencyBand, leadTimeBand, restoreBand } from './bands.js';
import type { DoraEvent } from './events.js';
import { DAY_MS, p50Sorted, p90Sorted, toHours } from './stats.js';

/** The drill-down lists of an answer, named as `GET /api/v1/dora/events?metric=` takes them. */
export const DORA_LISTS = [
  'deploymentFrequency',
  'leadTime',
  'leadTime.unknown',
  'promotionLeadTime',
  'changeFailureRate',
  'timeToRestore',
  'timeToRestore.unrestored',
  'reworkRate',
] as const;
export type DoraList = (typeof DORA_LISTS)[number];

/** Entries of each list carried in an answer; the rest are a page away. */
export const LIST_CAP = 50;

/** The numbers of the judged deployments of one bucket of time; value lists sorted ascending. */
export interface DoraNumbers {
  count: number;
  failed: number;
  restored: number;
  rework: number;
  lead: Float64Array;
  promotion: Float64Array;
  restore: Float64Array;
}

/** The first entries of a list and where the rest are. */
export interface ListHead {
  items: JudgedDeployment[];
  /** The link to the whole list (first page), and the cursor after the entries shown (null: none left). */
  href: string;
  nextCursor: string | null;
}

export type DoraHeads = Record<DoraList, ListHead>;

/** An event as the drill-down lists show it. */
const ref = (e: DoraEvent) => ({
  id: e.id,
  source: e.source,
  subject: e.subject,
  type: e.type,
  version: e.version,
  time: formatTime(e.time),
});

/** Each list's entries as the answer and GET /api/v1/dora/events show them. */
export const LIST_ITEM = {
  deploymentFrequency: (j: JudgedDeployment) => ref(j.deployment),
  leadTime: (j: JudgedDeployment) => ({
    ...ref(j.deployment),
    hours: toHours(j.leadMs as number),
    commits: j.commits,
  }),
  'leadTime.unknown': (j: JudgedDeployment) => j.deployment.id,
  promotionLeadTime: (j: JudgedDeployment) => ({
    ...ref(j.deployment),
    hours: toHours(j.promotionMs as number),
  }),
  changeFailureRate: (j: JudgedDeployment) => ({
    ...ref(j.deployment),
    reason: j.failure?.reason,
    evidence: j.failure?.evidence,
    reasons: j.failure?.reasons,
    revealedBy: nullable(j.failure?.revealedBy ?? null, ref),
  }),
  timeToRestore: (j: JudgedDeployment) => {
    const r = j.restore as NonNullable<JudgedDeployment['restore']>;
    return {
      failedId: j.deployment.id,
      restoredId: r.end.id,
      hours: toHours(r.ms),
      how: r.how,
      startId: r.start.id,
      start: formatTime(r.start.time),
      end: formatTime(r.end.time),
    };
  },
  'timeToRestore.unrestored': (j: JudgedDeployment) => j.deployment.id,
  reworkRate: (j: JudgedDeployment) => ({ ...ref(j.deployment), reason: j.rework }),
} satisfies Record<DoraList, (j: JudgedDeployment) => unknown>;

/** How many entries each list has in a bucket. */
export function listTotal(n: DoraNumbers, list: DoraList): number {
  switch (list) {
    case 'deploymentFrequency':
      return n.count;
    case 'leadTime':
      return n.lead.length;
    case 'leadTime.unknown':
      return n.count - n.lead.length;
    case 'promotionLeadTime':
      return n.promotion.length;
    case 'changeFailureRate':
      return n.failed;
    case 'timeToRestore':
      return n.restored;
    case 'timeToRestore.unrestored':
      return n.failed - n.restored;
    case 'reworkRate':
      return n.rework;
  }
}

const nullable = <T, R>(value: T | null, f: (v: T) => R): R | null => (value === null ? null : f(value));
const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
const hours = (sorted: Float64Array) => ({
  medianHours: nullable(p50Sorted(sorted), toHours),
  p90Hours: nullable(p90Sorted(sorted), toHours),
});

/** Two sorted lists as one sorted list. */
function merge(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length)
    out[k++] = (a[i] as number) <= (b[j] as number) ? (a[i++] as number) : (b[j++] as number);
  while (i < a.length) out[k++] = a[i++] as number;
  while (j < b.length) out[k++] = b[j++] as number;
  return out;
}

/** Sorted lists as one, merged pairwise. */
function mergeAll(lists: Float64Array[]): Float64Array {
  if (lists.length === 0) return new Float64Array(0);
  let round = lists;
  while (round.length > 1) {
    const next: Float64Array[] = [];
    for (let i = 0; i < round.length; i += 2)
      next.push(
        i + 1 < round.length
          ? merge(round[i] as Float64Array, round[i + 1] as Float64Array)
          : (round[i] as Float64Array),
      );
    round = next;
  }
  return round[0] as Float64Array;
}

/** The numbers of several buckets together (the periods of a range make the range). */
export function combine(parts: DoraNumbers[]): DoraNumbers {
  return {
    count: parts.reduce((sum, p) => sum + p.count, 0),
    failed: parts.reduce((sum, p) => sum + p.failed, 0),
    restored: parts.reduce((sum, p) => sum + p.restored, 0),
    rework: parts.reduce((sum, p) => sum + p.rework, 0),
    lead: mergeAll(parts.map((p) => p.lead)),
    promotion: mergeAll(parts.map((p) => p.promotion)),
    restore: mergeAll(parts.map((p) => p.restore)),
  };
}

/** A list as the answer carries it: its first entries, and its total and link beside them (in `lists`). */
function head<L extends DoraList>(heads: DoraHeads, n: DoraNumbers, list: L) {
  const h = heads[list];
  const item = LIST_ITEM[list] as (j: JudgedDeployment) => ReturnType<(typeof LIST_ITEM)[L]>;
  return {
    items: h.items.map(item),
    meta: { total: listTotal(n, list), href: h.href, nextCursor: h.nextCursor },
  };
}

/** The figures for the deployments of one range (no series). */
function figures(n: DoraNumbers, heads: DoraHeads, from: number, to: number) {
  const count = n.count;
  const perDay = Math.round((count / ((to - from) / DAY_MS)) * 10_000) / 10_000;
  const lead = hours(n.lead);
  const restore = hours(n.restore);
  const rate = ratio(n.failed, count);
  const deployments = head(heads, n, 'deploymentFrequency');
  const leads = head(heads, n, 'leadTime');
  const unknown = head(heads, n, 'leadTime.unknown');
  const promoted = head(heads, n, 'promotionLeadTime');
  const failed = head(heads, n, 'changeFailureRate');
  const restores = head(heads, n, 'timeToRestore');
  const unrestored = head(heads, n, 'timeToRestore.unrestored');
  const reworked = head(heads, n, 'reworkRate');
  return {
    deploymentFrequency: {
      count,
      perDay,
      band: frequencyBand(count, perDay) as Band,
      deployments: deployments.items,
      lists: { deployments: deployments.meta },
    },
    leadTime: {
      ...lead,
      n: n.lead.length,
      unknown: count - n.lead.length,
      band: leadTimeBand(count, lead.medianHours),
      deployments: leads.items,
      unknownDeployments: unknown.items,
      lists: { deployments: leads.meta, unknownDeployments: unknown.meta },
    },
    promotionLeadTime: {
      ...hours(n.promotion),
      n: n.promotion.length,
      deployments: promoted.items,
      lists: { deployments: promoted.meta },
    },
    changeFailureRate: {
      rate,
      failed: n.failed,
      deployments: count,
      band: failureRateBand(count, rate),
      failedDeployments: failed.items,
      lists: { failedDeployments: failed.meta },
    },
    timeToRestore: {
      ...restore,
      n: n.restored,
      band: restoreBand(count, restore.medianHours),
      restores: restores.items,
      unrestored: unrestored.items,
      lists: { restores: restores.meta, unrestored: unrestored.meta },
    },
    reworkRate: {
      rate: ratio(n.rework, count),
      n: n.rework,
      deployments: count,
      reworked: reworked.items,
      lists: { reworked: reworked.meta },
    },
  };
}

export type DoraFigures = ReturnType<typeof figures>;

/** The numbers of one period of a series (no lists). */
function point(n: DoraNumbers) {
  const median = (sorted: Float64Array) => nullable(p50Sorted(sorted), toHours);
  return {
    count: n.count,
    lead: { medianHours: median(n.lead), n: n.lead.length },
    promotion: { medianHours: median(n.promotion), n: n.promotion.length },
    failure: { rate: ratio(n.failed, n.count), failed: n.failed, deployments: n.count },
    restore: { medianHours: median(n.restore), n: n.restored },
    rework: { rate: ratio(n.rework, n.count), n: n.rework, deployments: n.count },
  };
}

export interface DoraRangeNumbers {
  from: number;
  to: number;
  /** Each period of the series: its start and its numbers. */
  periods: { start: number; numbers: DoraNumbers }[];
  /** The period before the range, of the same length. */
  previous: DoraNumbers;
  heads: DoraHeads;
  previousHeads: DoraHeads;
}

/** The whole answer of GET /api/v1/dora (after its header), from the numbers of the range. */
export function doraMetrics(r: DoraRangeNumbers) {
  const previousFrom = r.from - (r.to - r.from);
  const now = figures(combine(r.periods.map((p) => p.numbers)), r.heads, r.from, r.to);
  const each = r.periods.map(({ start, numbers }) => ({ start: formatTime(start), p: point(numbers) }));
  return {
    ...now,
    deploymentFrequency: {
      ...now.deploymentFrequency,
      series: each.map(({ start, p }) => ({ start, count: p.count })),
    },
    leadTime: { ...now.leadTime, series: each.map(({ start, p }) => ({ start, ...p.lead })) },
    promotionLeadTime: {
      ...now.promotionLeadTime,
      series: each.map(({ start, p }) => ({ start, ...p.promotion })),
    },
    changeFailureRate: {
      ...now.changeFailureRate,
      series: each.map(({ start, p }) => ({ start, ...p.failure })),
    },
    timeToRestore: { ...now.timeToRestore, series: each.map(({ start, p }) => ({ start, ...p.restore })) },
    reworkRate: { ...now.reworkRate, series: each.map(({ start, p }) => ({ start, ...p.rework })) },
    previous: {
      from: formatTime(previousFrom),
      to: formatTime(r.from),
      ...figures(r.previous, r.previousHeads, previousFrom, r.from),
    },
    bands: BAND_TABLE,
  };
}
