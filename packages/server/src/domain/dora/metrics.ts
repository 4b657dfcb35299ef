/**
 * The five delivery metrics over a range, from judged deployments (attribution.ts): each figure
 * with its counts, its band and the events it counts, a series per period, and the same figures
 * for the period before. Wire shape: extended API section 6.
 */
import { formatTime } from '@opstrails/core';
import type { JudgedDeployment } from './attribution.js';
import { BAND_TABLE, type Band, failureRateBand, frequencyBand, leadTimeBand, restoreBand } from './bands.js';
import type { DoraEvent } from './events.js';
import { DAY_MS, median, type Period, p90, periods, toHours } from './stats.js';

export interface DoraRange {
  from: number;
  to: number;
  period: Period;
  /** Only deployments of this source (lower case; matched in any case) count; incidents and rollbacks from any source still judge them. */
  source?: string;
}

/** An event as the drill-down lists show it; made once per event (a deployment sits in several lists). */
const refs = new WeakMap<DoraEvent, ReturnType<typeof makeRef>>();
const makeRef = (e: DoraEvent) => ({
  id: e.id,
  source: e.source,
  subject: e.subject,
  type: e.type,
  version: e.version,
  time: formatTime(e.time),
});
function ref(e: DoraEvent) {
  let made = refs.get(e);
  if (!made) {
    made = makeRef(e);
    refs.set(e, made);
  }
  return made;
}

const hours = (values: number[]) => ({
  medianHours: nullable(median(values), toHours),
  p90Hours: nullable(p90(values), toHours),
});

const nullable = <T, R>(value: T | null, f: (v: T) => R): R | null => (value === null ? null : f(value));
const ratio = (part: number, whole: number) =>
  whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;

/** The figures for the deployments of one range (no series). */
function figures(judged: JudgedDeployment[], from: number, to: number) {
  const count = judged.length;
  const perDay = Math.round((count / ((to - from) / DAY_MS)) * 10_000) / 10_000;
  const withCommits = judged.filter((j) => j.leadMs !== null);
  const promoted = judged.filter((j) => j.promotionMs !== null);
  const failed = judged.filter((j) => j.failure !== null);
  const restored = failed.filter((j) => j.restore !== null);
  const rework = judged.filter((j) => j.rework !== null);
  const lead = hours(withCommits.map((j) => j.leadMs as number));
  const restore = hours(restored.map((j) => j.restore?.ms as number));
  const rate = ratio(failed.length, count);
  return {
    deploymentFrequency: {
      count,
      perDay,
      band: frequencyBand(count, perDay) as Band,
      deployments: judged.map((j) => ref(j.deployment)),
    },
    leadTime: {
      ...lead,
      n: withCommits.length,
      unknown: count - withCommits.length,
      band: leadTimeBand(count, lead.medianHours),
      deployments: withCommits.map((j) => ({
        ...ref(j.deployment),
        hours: toHours(j.leadMs as number),
        commits: j.commits,
      })),
      unknownDeployments: judged.filter((j) => j.leadMs === null).map((j) => j.deployment.id),
    },
    promotionLeadTime: {
      ...hours(promoted.map((j) => j.promotionMs as number)),
      n: promoted.length,
      deployments: promoted.map((j) => ({ ...ref(j.deployment), hours: toHours(j.promotionMs as number) })),
    },
    changeFailureRate: {
      rate,
      failed: failed.length,
      deployments: count,
      band: failureRateBand(count, rate),
      failedDeployments: failed.map((j) => ({
        ...ref(j.deployment),
        reason: j.failure?.reason,
        evidence: j.failure?.evidence,
        reasons: j.failure?.reasons,
        revealedBy: nullable(j.failure?.revealedBy ?? null, ref),
      })),
    },
    timeToRestore: {
      ...restore,
      n: restored.length,
      band: restoreBand(count, restore.medianHours),
      restores: restored.map((j) => {
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
      }),
      unrestored: failed.filter((j) => j.restore === null).map((j) => j.deployment.id),
    },
    reworkRate: {
      rate: ratio(rework.length, count),
      n: rework.length,
      deployments: count,
      reworked: rework.map((j) => ({ ...ref(j.deployment), reason: j.rework })),
    },
  };
}

export type DoraFigures = ReturnType<typeof figures>;

/** The numbers of one period of a series (no lists). */
function point(judged: JudgedDeployment[]) {
  const leads = judged.flatMap((j) => (j.leadMs === null ? [] : [j.leadMs]));
  const promotions = judged.flatMap((j) => (j.promotionMs === null ? [] : [j.promotionMs]));
  const failed = judged.filter((j) => j.failure !== null);
  const restores = failed.flatMap((j) => (j.restore ? [j.restore.ms] : []));
  const rework = judged.filter((j) => j.rework !== null).length;
  return {
    count: judged.length,
    lead: { medianHours: nullable(median(leads), toHours), n: leads.length },
    promotion: { medianHours: nullable(median(promotions), toHours), n: promotions.length },
    failure: { rate: ratio(failed.length, judged.length), failed: failed.length, deployments: judged.length },
    restore: { medianHours: nullable(median(restores), toHours), n: restores.length },
    rework: { rate: ratio(rework, judged.length), n: rework, deployments: judged.length },
  };
}

/** The numbers of each period of the range, for the series. */
function perPeriod(judged: JudgedDeployment[], range: DoraRange) {
  return periods(range.from, range.to, range.period).map(([start, end]) => ({
    start: formatTime(start),
    p: point(judged.filter((j) => j.deployment.time >= start && j.deployment.time < end)),
  }));
}

/** Deployments counted in [from, to): on a measured subject, from the source asked for. */
function inRange(judged: JudgedDeployment[], from: number, to: number, source?: string): JudgedDeployment[] {
  return judged.filter(
    (j) =>
      j.deployment.time >= from &&
      j.deployment.time < to &&
      (source === undefined || j.deployment.source.toLowerCase() === source),
  );
}

/** The whole answer of GET /api/v1/dora for judged deployments (every deployment fetched, any time). */
export function doraMetrics(judged: JudgedDeployment[], range: DoraRange) {
  const current = inRange(judged, range.from, range.to, range.source);
  const previousFrom = range.from - (range.to - range.from);
  const now = figures(current, range.from, range.to);
  const each = perPeriod(current, range);
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
      to: formatTime(range.from),
      ...figures(inRange(judged, previousFrom, range.from, range.source), previousFrom, range.from),
    },
    bands: BAND_TABLE,
  };
}
