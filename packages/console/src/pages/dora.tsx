/**
 * Delivery metrics (DORA): the five figures with their band and the change since the period
 * before, a chart per metric over the range, and a click on any figure to list the events it
 * counts (GET /api/v1/dora carries the first entries of each list; "Load more" pages the rest
 * from GET /api/v1/dora/events). Range, period and the open list live in the URL. Admins change
 * the failure window here (PATCH /api/v1/dora/settings).
 */
import { type FormEvent, type ReactElement, useEffect, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import './dora.css';
import { api, queryString } from '../api';
import { ErrorNote } from '../components/error-note';
import { Time } from '../components/time';
import { setQuery, useLocation } from '../router';
import { useSession } from '../session';

type Band = 'elite' | 'high' | 'medium' | 'low' | 'unknown';
interface Ref {
  id: string;
  source: string;
  subject: string | null;
  version: string | null;
  time: string;
}
interface Hours {
  medianHours: number | null;
  p90Hours: number | null;
  n: number;
}
/** Where a whole list is: its length, its first page, and the cursor after the entries the answer carries. */
interface ListLink {
  total: number;
  href: string;
  nextCursor: string | null;
}
interface Figures {
  deploymentFrequency: {
    count: number;
    perDay: number;
    band: Band;
    deployments: Ref[];
    lists: { deployments: ListLink };
  };
  leadTime: Hours & {
    unknown: number;
    band: Band;
    deployments: (Ref & { hours: number; commits: number })[];
    unknownDeployments: string[];
    lists: { deployments: ListLink; unknownDeployments: ListLink };
  };
  promotionLeadTime: Hours;
  changeFailureRate: {
    rate: number | null;
    failed: number;
    deployments: number;
    band: Band;
    failedDeployments: (Ref & { reason: string; evidence: string; revealedBy: Ref | null })[];
    lists: { failedDeployments: ListLink };
  };
  timeToRestore: Hours & {
    band: Band;
    restores: {
      failedId: string;
      restoredId: string;
      startId: string;
      how: string;
      hours: number;
      start: string;
      end: string;
    }[];
    unrestored: string[];
    lists: { restores: ListLink; unrestored: ListLink };
  };
  reworkRate: {
    rate: number | null;
    n: number;
    deployments: number;
    reworked: (Ref & { reason: string })[];
    lists: { reworked: ListLink };
  };
}
type Series = { start: string; [k: string]: number | string | null }[];
interface Dora extends Figures {
  from: string;
  to: string;
  subjects: string[];
  failureWindow: string;
  previous: Figures;
  deploymentFrequency: Figures['deploymentFrequency'] & { series: Series };
  leadTime: Figures['leadTime'] & { series: Series };
  changeFailureRate: Figures['changeFailureRate'] & { series: Series };
  timeToRestore: Figures['timeToRestore'] & { series: Series };
  reworkRate: Figures['reworkRate'] & { series: Series };
  bands: { source: string };
}

const RANGES = [
  { value: '-7d', label: 'Last 7 days' },
  { value: '-30d', label: 'Last 30 days' },
  { value: '-90d', label: 'Last 90 days' },
];
const METRICS = ['frequency', 'lead', 'failure', 'restore', 'rework'] as const;
type Metric = (typeof METRICS)[number];

const pct = (rate: number | null) => (rate === null ? '–' : `${Math.round(rate * 1000) / 10}%`);
const hours = (h: number | null) =>
  h === null
    ? '–'
    : h < 1
      ? `${Math.round(h * 60)} min`
      : h < 48
        ? `${h} h`
        : `${Math.round((h / 24) * 10) / 10} d`;

/** Per metric: its title, figure, counts, trend (current and previous value, and whether lower is better) and chart series key. */
function cards(d: Dora) {
  const p = d.previous;
  return [
    {
      metric: 'frequency' as Metric,
      title: 'Deployment frequency',
      value: `${d.deploymentFrequency.perDay}/day`,
      counts: `${d.deploymentFrequency.count} deployments`,
      band: d.deploymentFrequency.band,
      trend: [d.deploymentFrequency.count, p.deploymentFrequency.count, false] as const,
      previous: `${p.deploymentFrequency.count} before`,
      series: d.deploymentFrequency.series,
      key: 'count',
    },
    {
      metric: 'lead' as Metric,
      title: 'Lead time for changes',
      value: hours(d.leadTime.medianHours),
      counts: `median of ${d.leadTime.n}, ${d.leadTime.unknown} unknown · promotion ${hours(d.promotionLeadTime.medianHours)}`,
      band: d.leadTime.band,
      trend: [d.leadTime.medianHours, p.leadTime.medianHours, true] as const,
      previous: `${hours(p.leadTime.medianHours)} before`,
      series: d.leadTime.series,
      key: 'medianHours',
    },
    {
      metric: 'failure' as Metric,
      title: 'Change failure rate',
      value: pct(d.changeFailureRate.rate),
      counts: `${d.changeFailureRate.failed} of ${d.changeFailureRate.deployments} failed`,
      band: d.changeFailureRate.band,
      trend: [d.changeFailureRate.rate, p.changeFailureRate.rate, true] as const,
      previous: `${pct(p.changeFailureRate.rate)} before`,
      series: d.changeFailureRate.series,
      key: 'rate',
    },
    {
      metric: 'restore' as Metric,
      title: 'Time to restore',
      value: hours(d.timeToRestore.medianHours),
      counts: `median of ${d.timeToRestore.n} restores${d.timeToRestore.lists.unrestored.total ? `, ${d.timeToRestore.lists.unrestored.total} open` : ''}`,
      band: d.timeToRestore.band,
      trend: [d.timeToRestore.medianHours, p.timeToRestore.medianHours, true] as const,
      previous: `${hours(p.timeToRestore.medianHours)} before`,
      series: d.timeToRestore.series,
      key: 'medianHours',
    },
    {
      metric: 'rework' as Metric,
      title: 'Rework rate',
      value: pct(d.reworkRate.rate),
      counts: `${d.reworkRate.n} of ${d.reworkRate.deployments} were unplanned fixes`,
      band: null,
      trend: [d.reworkRate.rate, p.reworkRate.rate, true] as const,
      previous: `${pct(p.reworkRate.rate)} before`,
      series: d.reworkRate.series,
      key: 'rate',
    },
  ];
}

function Trend({
  now,
  before,
  lowerIsBetter,
}: {
  now: number | null;
  before: number | null;
  lowerIsBetter: boolean;
}) {
  if (now === null || before === null || now === before) return <span className="trend flat">→</span>;
  const better = now < before === lowerIsBetter;
  return <span className={`trend ${better ? 'better' : 'worse'}`}>{now > before ? '↑' : '↓'}</span>;
}

export function DoraPage() {
  const { query } = useLocation();
  const from = RANGES.some((r) => r.value === query.get('from')) ? (query.get('from') as string) : '-30d';
  const period = ['day', 'week', 'month'].includes(query.get('period') ?? '')
    ? (query.get('period') as string)
    : 'week';
  const show = METRICS.find((m) => m === query.get('show')) ?? null;
  const [dora, setDora] = useState<Dora | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [reload, setReload] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `reload` asks for the figures again after a settings change
  useEffect(() => {
    let cancelled = false;
    api<Dora>(`/api/v1/dora${queryString({ from, period })}`)
      .then((d) => {
        if (!cancelled) {
          setDora(d);
          setError(null);
        }
      })
      .catch((err) => {
        if (!cancelled) setError(err);
      });
    return () => {
      cancelled = true;
    };
  }, [from, period, reload]);

  return (
    <div className="dora-page">
      <div className="page-head">
        <h1>Delivery metrics</h1>
        <span className="muted">
          {dora
            ? `${dora.subjects.length > 0 ? dora.subjects.join(', ') : 'no production subject yet'} · bands: ${dora.bands.source}`
            : ''}
        </span>
      </div>
      <div className="timeline-controls">
        <label className="filter">
          <span>Range</span>
          <select aria-label="Range" value={from} onChange={(e) => setQuery({ from: e.target.value })}>
            {RANGES.map((r) => (
              <option key={r.value} value={r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          <span>Period</span>
          <select aria-label="Period" value={period} onChange={(e) => setQuery({ period: e.target.value })}>
            <option value="day">Day</option>
            <option value="week">Week</option>
            <option value="month">Month</option>
          </select>
        </label>
        {dora ? <FailureWindow value={dora.failureWindow} onChanged={() => setReload((n) => n + 1)} /> : null}
      </div>
      <ErrorNote error={error} />
      {dora ? (
        <>
          <div className="dora-cards">
            {cards(dora).map((c) => (
              <button
                type="button"
                key={c.metric}
                className={`dora-card card${show === c.metric ? ' open' : ''}`}
                data-testid={`dora-${c.metric}`}
                aria-pressed={show === c.metric}
                onClick={() => setQuery({ show: show === c.metric ? undefined : c.metric })}
              >
                <span className="dora-title">{c.title}</span>
                <span className="dora-value">
                  {c.value} <Trend now={c.trend[0]} before={c.trend[1]} lowerIsBetter={c.trend[2]} />
                </span>
                <span className="dora-counts">{c.counts}</span>
                <span className="dora-foot">
                  {c.band ? (
                    <span className={`band band-${c.band}`}>{c.band}</span>
                  ) : (
                    <span className="band">no band</span>
                  )}
                  <span className="muted">{c.previous}</span>
                </span>
                <SeriesChart series={c.series} valueKey={c.key} label={c.title} />
              </button>
            ))}
          </div>
          {show ? (
            <Drilldown dora={dora} metric={show} />
          ) : (
            <p className="muted">Click a figure to list the events it counts.</p>
          )}
        </>
      ) : null}
    </div>
  );
}

function FailureWindow({ value, onChanged }: { value: string; onChanged(): void }) {
  const { isAdmin } = useSession();
  const [text, setText] = useState(value);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => setText(value), [value]);
  const save = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      await api('/api/v1/dora/settings', { method: 'PATCH', body: { failureWindow: text } });
      onChanged();
    } catch (err) {
      setError(err);
    }
  };
  if (!isAdmin) return <span className="muted">Failure window: {value}</span>;
  return (
    <form className="filter dora-window" onSubmit={save}>
      <span>Failure window</span>
      <span className="dora-window-row">
        <input
          name="failure-window"
          aria-label="Failure window"
          title="How long after a deployment an incident on its subject, with no explicit link, counts it as failed (e.g. 90m, 4h, 1d)"
          value={text}
          size={5}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn-small">
          Save
        </button>
      </span>
      <ErrorNote error={error} />
    </form>
  );
}

function SeriesChart({ series, valueKey, label }: { series: Series; valueKey: string; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = series.map((p) => Date.parse(p.start) / 1000);
    const ys = series.map((p) => (typeof p[valueKey] === 'number' ? (p[valueKey] as number) : null));
    const plot = new uPlot(
      {
        width: Math.max(160, el.clientWidth),
        height: 90,
        legend: { show: false },
        cursor: { show: false },
        scales: {
          x: { time: true, range: [xs[0] ?? 0, Math.max(xs[xs.length - 1] ?? 1, (xs[0] ?? 0) + 1)] },
          y: { range: (_u, _min, max) => [0, Math.max(1e-9, max ?? 0)] },
        },
        axes: [{ show: false }, { show: false }],
        series: [{}, { label, stroke: '#0284c7', fill: 'rgba(2,132,199,0.15)', width: 2, spanGaps: false }],
      },
      [xs, ys],
      el,
    );
    return () => plot.destroy();
  }, [series, valueKey, label]);
  return <div className="dora-chart" ref={box} aria-hidden="true" />;
}

function EventCell({ e }: { e: Ref }) {
  return (
    <>
      <td>
        <Time iso={e.time} />
      </td>
      <td>
        <code>{e.id}</code>
      </td>
      <td>
        {e.source}
        {e.subject ? ` → ${e.subject}` : ''}
      </td>
      <td>{e.version ? <code>{e.version}</code> : null}</td>
    </>
  );
}

/** Entries of a list shown so far: the answer's first ones, then pages of GET /api/v1/dora/events. */
const PAGE = 100;

function usePagedList<T>(first: T[], link: ListLink) {
  const [items, setItems] = useState(first);
  const [cursor, setCursor] = useState(link.nextCursor);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    setItems(first);
    setCursor(link.nextCursor);
    setError(null);
  }, [first, link]);
  const more = async () => {
    if (!cursor) return;
    setLoading(true);
    setError(null);
    try {
      const page = await api<{ items: T[]; nextCursor: string | null }>(
        `${link.href}&cursor=${encodeURIComponent(cursor)}&limit=${PAGE}`,
      );
      setItems((shown) => [...shown, ...page.items]);
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  };
  return { items, cursor, loading, error, more, total: link.total };
}

function LoadMore({ list }: { list: ReturnType<typeof usePagedList<unknown>> }) {
  if (!list.cursor && !list.error) return null;
  return (
    <div className="dora-more">
      <span className="muted" data-testid="dora-shown">
        {list.items.length} of {list.total} shown
      </span>
      {list.cursor ? (
        <button
          type="button"
          className="btn btn-small"
          data-testid="dora-more"
          disabled={list.loading}
          onClick={() => void list.more()}
        >
          {list.loading ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
      <ErrorNote error={list.error} />
    </div>
  );
}

/** The list a figure opens on: its first entries in the answer and the link to the rest. */
function listOf(dora: Dora, metric: Metric): [unknown[], ListLink] {
  if (metric === 'frequency')
    return [dora.deploymentFrequency.deployments, dora.deploymentFrequency.lists.deployments];
  if (metric === 'lead') return [dora.leadTime.deployments, dora.leadTime.lists.deployments];
  if (metric === 'failure')
    return [dora.changeFailureRate.failedDeployments, dora.changeFailureRate.lists.failedDeployments];
  if (metric === 'restore') return [dora.timeToRestore.restores, dora.timeToRestore.lists.restores];
  return [dora.reworkRate.reworked, dora.reworkRate.lists.reworked];
}

/** A few ids and how many more: "d4, d5 and 12 more". */
function someIds(ids: string[], total: number): string {
  if (total === 0) return 'none';
  return `${ids.slice(0, 10).join(', ')}${total > Math.min(10, ids.length) ? ` and ${total - Math.min(10, ids.length)} more` : ''}`;
}

function Drilldown({ dora, metric }: { dora: Dora; metric: Metric }) {
  const [first, link] = listOf(dora, metric);
  const list = usePagedList<unknown>(first, link);
  const head = (...extra: string[]) => (
    <thead>
      <tr>
        {['Time', 'Event', 'Where', 'Version', ...extra].map((h) => (
          <th key={h}>{h}</th>
        ))}
      </tr>
    </thead>
  );
  let title: string;
  let table: ReactElement;
  if (metric === 'frequency') {
    title = `${dora.deploymentFrequency.count} deployments`;
    table = (
      <table className="list">
        {head()}
        <tbody>
          {(list.items as Ref[]).map((e) => (
            <tr key={`${e.source}\u0000${e.id}`} data-testid="dora-row">
              <EventCell e={e} />
            </tr>
          ))}
        </tbody>
      </table>
    );
  } else if (metric === 'lead') {
    title = `${dora.leadTime.n} deployments with commit data; ${dora.leadTime.unknown} without (${someIds(dora.leadTime.unknownDeployments, dora.leadTime.unknown)})`;
    table = (
      <table className="list">
        {head('Lead time', 'Commits')}
        <tbody>
          {(list.items as Figures['leadTime']['deployments']).map((e) => (
            <tr key={`${e.source}\u0000${e.id}`} data-testid="dora-row">
              <EventCell e={e} />
              <td>{hours(e.hours)}</td>
              <td>{e.commits}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  } else if (metric === 'failure') {
    title = `${dora.changeFailureRate.failed} failed deployments out of ${dora.changeFailureRate.deployments}`;
    table = (
      <table className="list">
        {head('Evidence', 'Why it counts')}
        <tbody>
          {(list.items as Figures['changeFailureRate']['failedDeployments']).map((e) => (
            <tr key={`${e.source}\u0000${e.id}`} data-testid="dora-row">
              <EventCell e={e} />
              <td>
                <span className={`evidence evidence-${e.evidence}`}>
                  {e.evidence === 'window' ? 'window (weaker)' : e.evidence}
                </span>
              </td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  } else if (metric === 'restore') {
    const open = dora.timeToRestore.lists.unrestored.total;
    title = `${dora.timeToRestore.n} restores${open ? `; not restored yet: ${someIds(dora.timeToRestore.unrestored, open)}` : ''}`;
    table = (
      <table className="list">
        <thead>
          <tr>
            <th>Failed deployment</th>
            <th>From</th>
            <th>Restored by</th>
            <th>Time to restore</th>
          </tr>
        </thead>
        <tbody>
          {(list.items as Figures['timeToRestore']['restores']).map((r) => (
            <tr key={r.failedId} data-testid="dora-row">
              <td>
                <code>{r.failedId}</code>
              </td>
              <td>
                <code>{r.startId}</code> <Time iso={r.start} />
              </td>
              <td>
                <code>{r.restoredId}</code> ({r.how}) <Time iso={r.end} />
              </td>
              <td>{hours(r.hours)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  } else {
    title = `${dora.reworkRate.n} unplanned fixes out of ${dora.reworkRate.deployments} deployments`;
    table = (
      <table className="list">
        {head('Why it is rework')}
        <tbody>
          {(list.items as Figures['reworkRate']['reworked']).map((e) => (
            <tr key={`${e.source}\u0000${e.id}`} data-testid="dora-row">
              <EventCell e={e} />
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    );
  }
  return (
    <section className="dora-drilldown" data-testid="dora-drilldown">
      <h2>{title}</h2>
      <div className="table-scroll">{table}</div>
      <LoadMore list={list} />
    </section>
  );
}
