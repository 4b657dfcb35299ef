/**
 * get_dora_metrics (ours): the five delivery metrics (GET /api/v1/dora, the same service and
 * cache) with a short explanation of each figure a model can repeat, the first failed
 * deployments with their reasons (each list's total and its link to GET /api/v1/dora/events in
 * `lists`), and follow-up calls to the events behind a bad number. Its size does not grow with
 * the store: the answer's lists are capped, and this tool shows fewer entries still.
 */
import { z } from 'zod';
import { resolveDoraQuery } from '../../dora/query.js';
import { type DoraAnswer, doraService } from '../../dora/service.js';
import { fromParam, type SuggestedCall, sourceParam, subjectParam, toParam } from '../schemas.js';
import { defineTool, ToolInputError } from '../tool.js';

/** Drill-down entries per list here; the rest are paged by GET /api/v1/dora/events (each list's `href`). */
const LIST_MAX = 20;

const figure = z.record(z.string(), z.unknown());

const pct = (rate: number | null) => (rate === null ? 'n/a' : `${Math.round(rate * 1000) / 10}%`);
const h = (hours: number | null) =>
  hours === null ? 'n/a' : hours < 48 ? `${hours} h` : `${Math.round((hours / 24) * 10) / 10} days`;

/** One sentence per figure, with its counts, that a model can repeat as is. */
function explain(d: DoraAnswer): Record<string, string> {
  const days = Math.round((Date.parse(d.to) - Date.parse(d.from)) / 86_400_000);
  const where = d.subject ?? (d.subjects.length > 0 ? d.subjects.join(', ') : 'production (none seen yet)');
  const f = d.deploymentFrequency;
  const l = d.leadTime;
  const c = d.changeFailureRate;
  const r = d.timeToRestore;
  const w = d.reworkRate;
  return {
    deploymentFrequency: `${f.count} deployments to ${where} in ${days} days (${f.perDay} a day; ${d.previous.deploymentFrequency.count} in the period before). Band ${f.band}. Rollbacks are not deployments.`,
    leadTime: `Median ${h(l.medianHours)} (p90 ${h(l.p90Hours)}) from commit to production over ${l.n} deployments with commit data (data.commits[].time or data.commitTime); ${l.unknown} had none and are counted as unknown, never guessed. Band ${l.band}.`,
    changeFailureRate: `${c.failed} of ${c.deployments} deployments failed (${pct(c.rate)}; ${pct(d.previous.changeFailureRate.rate)} before). A deployment fails when an incident or rollback names it (linked), a rollback or a redeploy of an earlier version undid it (rollback), or an unlinked incident hit its subject within the ${d.failureWindow} failure window before the next deployment there (window, weaker evidence). Band ${c.band}.`,
    timeToRestore: `Median ${h(r.medianHours)} (p90 ${h(r.p90Hours)}) over ${r.n} restored failures, from the incident that revealed each (or the failed deployment) to the rollback, next good deployment or incident resolution that ended it${r.unrestored.length > 0 ? `; ${r.unrestored.length} not restored yet` : ''}. Band ${r.band}.`,
    reworkRate: `${w.n} of ${w.deployments} deployments were unplanned fixes (${pct(w.rate)}): hotfix types, data.unplanned, data.fixes, redeploys of an earlier version, or the next deployment within the failure window after a failed one.`,
  };
}

const BAD = new Set(['medium', 'low']);

/** A line saying where the entries not shown are, when some are not. */
const more = (total: number, what: string, href: string): string[] =>
  total > LIST_MAX ? [`  …all ${total} ${what}, a page at a time: GET ${href}`] : [];

function followUps(d: DoraAnswer): SuggestedCall[] {
  const next: SuggestedCall[] = [];
  const failed = d.changeFailureRate.failedDeployments;
  const worst = [...d.timeToRestore.restores].sort((a, b) => b.hours - a.hours)[0];
  if (failed.length > 0 && (BAD.has(d.changeFailureRate.band) || d.changeFailureRate.band === 'unknown')) {
    const first = failed[0] as (typeof failed)[number];
    next.push({
      tool: 'get_event',
      arguments: { id: first.id, source: first.source },
      reason: `a failed deployment (${first.evidence} evidence: ${first.reason})`,
    });
    if (first.revealedBy)
      next.push({
        tool: 'what_changed',
        arguments: { eventId: first.revealedBy.id, source: first.revealedBy.source },
        reason: `what else changed before the incident that revealed ${first.id}`,
      });
  }
  if (worst && BAD.has(d.timeToRestore.band))
    next.push({
      tool: 'get_event',
      arguments: { id: worst.failedId },
      reason: `the slowest of the restores listed: ${worst.hours} h from ${worst.startId} to ${worst.restoredId}`,
    });
  if (next.length === 0)
    next.push({
      tool: 'query_events',
      arguments: { from: d.from, to: d.to, type: 'deployment', ...(d.subject ? { subject: d.subject } : {}) },
      reason: 'the deployments these figures count',
    });
  return next.slice(0, 3);
}

export const getDoraMetrics = defineTool({
  name: 'get_dora_metrics',
  title: 'Delivery metrics (DORA)',
  description: [
    'Measure delivery performance (DORA): deployment frequency, lead time for changes (and promotion lead time), change failure rate, time to restore and rework rate over a range (default the last 30 days), for the production subjects or one subject.',
    'Use it for "how are we doing?" or "did delivery get worse?"; use query_events or what_changed for single events.',
    'Returns per metric its counts, its DORA 2023 band, the period before, a one-sentence explanation to quote, and the failed deployments with the reason each counts.',
  ].join(' '),
  input: {
    from: fromParam.describe('Start of the range: relative ("-30d") or ISO 8601; default -30d.').optional(),
    to: toParam.optional(),
    period: z.enum(['day', 'week', 'month']).describe('Series granularity (default week).').optional(),
    subject: subjectParam
      .describe('One subject instead of the production subjects, exact (e.g. "STAGING").')
      .optional(),
    source: sourceParam.describe("Only this source's deployments, exact.").optional(),
  },
  output: {
    from: z.string(),
    to: z.string(),
    subjects: z.array(z.string()),
    source: z.string().nullable(),
    failureWindow: z.string(),
    explanations: z.record(z.string(), z.string()),
    deploymentFrequency: figure,
    leadTime: figure,
    promotionLeadTime: figure,
    changeFailureRate: figure,
    timeToRestore: figure,
    reworkRate: figure,
    previous: figure,
  },
  async run(args, env) {
    const resolved = resolveDoraQuery(args, env.now);
    if (!resolved.ok) throw new ToolInputError(`${resolved.field}: ${resolved.problem}`);
    const d = await doraService(env.store).metrics(env.orgId, resolved.query);
    const explanations = explain(d);
    const { deployments: _all, ...frequency } = d.deploymentFrequency;
    const { deployments: _leads, unknownDeployments: _unknown, ...lead } = d.leadTime;
    const { deployments: _promoted, ...promotion } = d.promotionLeadTime;
    const figures = (f: { series?: unknown }) => {
      const { series: _series, ...rest } = f;
      return rest;
    };
    const previous = d.previous;
    return {
      data: {
        from: d.from,
        to: d.to,
        subjects: d.subjects,
        source: d.source,
        failureWindow: d.failureWindow,
        explanations,
        deploymentFrequency: figures(frequency),
        leadTime: figures(lead),
        promotionLeadTime: figures(promotion),
        changeFailureRate: {
          ...figures(d.changeFailureRate),
          failedDeployments: d.changeFailureRate.failedDeployments
            .slice(0, LIST_MAX)
            .map(({ id, source, subject, version, time, reason, evidence }) => ({
              id,
              source,
              subject,
              version,
              time,
              reason,
              evidence,
            })),
        },
        timeToRestore: { ...figures(d.timeToRestore), restores: d.timeToRestore.restores.slice(0, LIST_MAX) },
        reworkRate: {
          ...figures(d.reworkRate),
          reworked: d.reworkRate.reworked.slice(0, LIST_MAX).map(({ id, reason }) => ({ id, reason })),
        },
        previous: {
          from: previous.from,
          to: previous.to,
          deployments: previous.deploymentFrequency.count,
          leadTimeMedianHours: previous.leadTime.medianHours,
          changeFailureRate: previous.changeFailureRate.rate,
          timeToRestoreMedianHours: previous.timeToRestore.medianHours,
          reworkRate: previous.reworkRate.rate,
        },
      },
      text: [
        `Delivery metrics ${d.from} to ${d.to}:`,
        ...Object.values(explanations).map((line) => `- ${line}`),
        ...d.changeFailureRate.failedDeployments
          .slice(0, LIST_MAX)
          .map((f) => `  failed: ${f.id} (${f.source} ${f.version ?? ''}) ${f.evidence}: ${f.reason}`),
        ...more(
          d.changeFailureRate.failed,
          'failed deployments',
          d.changeFailureRate.lists.failedDeployments.href,
        ),
      ].join('\n'),
      next: followUps(d),
    };
  },
});
