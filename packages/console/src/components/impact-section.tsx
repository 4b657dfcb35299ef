/**
 * The impact section of an event's page: each metric of the subject as a chart across both
 * windows, with the event and the settle interval (not judged) marked, its verdict and reason,
 * and the summary; everything from GET /api/v1/events/{id}/impact and /metrics/series.
 */
import type { StoredEvent } from '@opstrails/core';
import { useEffect, useState } from 'react';
import { api, queryString } from '../api';
import { ErrorNote } from './error-note';
import './impact.css';

export interface MetricImpact {
  metric: string;
  subject: string;
  source: string | null;
  unit: string | null;
  verdict: string;
  reason: string;
}

export interface ImpactReport {
  time: string;
  window: string;
  settleMinutes: number;
  provisional: boolean;
  before: { from: string; to: string };
  after: { from: string; to: string };
  metrics: MetricImpact[];
  summary: { verdict: string; text: string };
}

const STEPS: Record<string, string> = {
  '1h': '1m',
  '2h': '1m',
  '4h': '2m',
  '6h': '3m',
  '12h': '5m',
  '24h': '10m',
};
const W = 400;
const H = 120;

function Chart({ report, metric }: { report: ImpactReport; metric: MetricImpact }) {
  const [points, setPoints] = useState<{ time: string; value: number }[] | null>(null);
  useEffect(() => {
    let current = true;
    const qs = queryString({
      metric: metric.metric,
      subject: metric.subject,
      source: metric.source ?? undefined,
      from: report.before.from,
      to: report.after.to,
      step: STEPS[report.window] ?? '1m',
    });
    api<{ points: { time: string; value: number }[] }>(`/api/v1/metrics/series${qs}`)
      .then((s) => current && setPoints(s.points))
      .catch(() => current && setPoints([]));
    return () => {
      current = false;
    };
  }, [report, metric]);
  const from = Date.parse(report.before.from);
  const to = Date.parse(report.after.to);
  const x = (ms: number) => ((ms - from) / (to - from)) * W;
  const at = Date.parse(report.time);
  const values = (points ?? []).map((p) => p.value);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const y = (v: number) => (hi === lo ? H / 2 : H - 4 - ((v - lo) / (hi - lo)) * (H - 8));
  const path = (points ?? [])
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${x(Date.parse(p.time)).toFixed(1)},${y(p.value).toFixed(1)}`)
    .join('');
  return (
    <svg
      className="impact-chart"
      viewBox={`0 0 ${W} ${H}`}
      role="img"
      aria-label={`${metric.metric} from ${report.before.from} to ${report.after.to}; the event at ${report.time}, ${report.settleMinutes} minutes to settle`}
      data-testid="impact-chart"
      data-points={points?.length ?? 0}
    >
      <rect
        className="settle"
        data-testid="impact-settle"
        x={x(at)}
        y={0}
        width={Math.max(1, x(Date.parse(report.after.from)) - x(at))}
        height={H}
      />
      <line className="event-line" data-testid="impact-event-line" x1={x(at)} x2={x(at)} y1={0} y2={H} />
      {path ? <path className="series" d={path} /> : null}
    </svg>
  );
}

export function ImpactSection({ event }: { event: StoredEvent }) {
  const [report, setReport] = useState<ImpactReport | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let current = true;
    api<ImpactReport>(
      `/api/v1/events/${encodeURIComponent(event.id)}/impact${queryString({ source: event.source })}`,
    )
      .then((r) => current && setReport(r))
      .catch((err) => current && setError(err));
    return () => {
      current = false;
    };
  }, [event]);
  if (error) return <ErrorNote error={error} />;
  if (!report) return <p className="muted">Judging…</p>;
  return (
    <>
      <p className="impact-summary" data-testid="impact-summary" data-verdict={report.summary.verdict}>
        {report.summary.text}
        {report.provisional ? ' (provisional: the after-window has not passed yet)' : ''}
      </p>
      <ul className="impact-metrics">
        {report.metrics.map((m) => (
          <li
            key={`${m.metric}\u0000${m.source ?? ''}`}
            className="impact-metric"
            data-verdict={m.verdict}
            data-testid="impact-metric"
          >
            <h3>
              {m.metric} <span className="impact-verdict">{m.verdict.replace(/_/g, ' ')}</span>
            </h3>
            <Chart report={report} metric={m} />
            <p>{m.reason}</p>
          </li>
        ))}
      </ul>
      <p className="muted">
        How this is judged: Mann-Whitney U, Hodges-Lehmann shift, Holm, a 10% effect floor and last week's
        same hours (docs/impact.md).
      </p>
    </>
  );
}
