/**
 * Timeline: events over time as stacked bars, by severity or by type, with deploys as markers
 * when asked. Drag across the chart to zoom into a range (kept in the URL); hovering a bar lists
 * its events and links to them in the feed. Relative ranges follow new events live.
 */
import type { EventPage, StoredEvent } from '@opstrails/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { api, queryString } from '../api';
import { ErrorNote } from '../components/error-note';
import { Link } from '../components/link';
import { SeverityBadge } from '../components/severity';
import { Time } from '../components/time';
import { setQuery, useLocation } from '../router';
import { buildTimeline, type GroupBy, NO_SEVERITY, type TimelineData } from '../timeline-data';

const RANGES = [
  { value: '-1h', label: 'Last hour', ms: 3_600_000 },
  { value: '-6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '-24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '-7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '-30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
];
const PAGES_MAX = 5;
const PAGE_SIZE = 1_000;
const SEVERITY_COLOURS: Record<string, string> = {
  CRITICAL: '#dc2626',
  MAJOR: '#ea580c',
  MINOR: '#ca8a04',
  LOW: '#0284c7',
  [NO_SEVERITY]: '#94a3b8',
};
const TYPE_COLOURS = [
  '#0284c7',
  '#16a34a',
  '#ea580c',
  '#9333ea',
  '#db2777',
  '#0d9488',
  '#ca8a04',
  '#4f46e5',
  '#94a3b8',
];

function rangeOf(
  query: URLSearchParams,
  now: number,
): { fromMs: number; toMs: number; relative: string | null } {
  const from = query.get('from');
  const to = query.get('to');
  const relative = RANGES.find((r) => r.value === (from ?? '-24h'));
  if (relative && !to) return { fromMs: now - relative.ms, toMs: now, relative: relative.value };
  const fromMs = from ? Date.parse(from) : now - 86_400_000;
  const toMs = to ? Date.parse(to) : now;
  return Number.isFinite(fromMs) && Number.isFinite(toMs) && fromMs < toMs
    ? { fromMs, toMs, relative: null }
    : { fromMs: now - 86_400_000, toMs: now, relative: '-24h' };
}

/** Types that move a version into an environment (the server's domain/environments.ts reads them the same way). */
function isDeploy(type: string): boolean {
  const t = type.toLowerCase();
  return (t.includes('deploy') && t !== 'deployment-status') || t === 'release' || t === 'rollback';
}

export function TimelinePage() {
  const { query } = useLocation();
  const by: GroupBy = query.get('by') === 'type' ? 'type' : 'severity';
  const markers = query.get('markers') === 'deploys';
  const [now, setNow] = useState(() => Date.now());
  const { fromMs, toMs, relative } = rangeOf(query, now);
  const [events, setEvents] = useState<StoredEvent[]>([]);
  const [truncated, setTruncated] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [hover, setHover] = useState<number | null>(null);
  const fromIso = new Date(fromMs).toISOString();
  const toIso = new Date(toMs).toISOString();

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const all: StoredEvent[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < PAGES_MAX; page++) {
        const result = await api<EventPage>(
          `/api/v1/events${queryString({ from: fromIso, to: toIso, limit: String(PAGE_SIZE), cursor })}`,
        );
        all.push(...result.events);
        cursor = result.nextCursor ?? undefined;
        if (!cursor) break;
      }
      if (cancelled) return;
      setEvents(all);
      setTruncated(cursor !== undefined);
      setError(null);
    })().catch((err) => {
      if (!cancelled) setError(err);
    });
    return () => {
      cancelled = true;
    };
  }, [fromIso, toIso]);

  // A relative range slides forward as events arrive (at most every few seconds).
  useEffect(() => {
    if (!relative) return;
    const stream = new EventSource('/api/v1/events/stream');
    let timer: ReturnType<typeof setTimeout> | undefined;
    stream.addEventListener('event', () => {
      timer ??= setTimeout(() => {
        timer = undefined;
        setNow(Date.now());
      }, 1_000);
    });
    return () => {
      stream.close();
      if (timer) clearTimeout(timer);
    };
  }, [relative]);

  const data = useMemo(() => buildTimeline(events, fromMs, toMs, by), [events, fromMs, toMs, by]);
  const hovered = hover === null ? [] : (data.byBucket[hover] ?? []);
  const deploys = useMemo(
    () => (markers ? events.filter((e) => isDeploy(e.type)).map((e) => Date.parse(e.time) / 1000) : []),
    [events, markers],
  );
  const bucketFrom = hover === null ? 0 : (data.xs[hover] ?? 0) * 1000;
  const bucketLink = `/events${queryString({
    from: new Date(Math.max(bucketFrom, fromMs)).toISOString(),
    to: new Date(Math.min(bucketFrom + data.stepS * 1000, toMs)).toISOString(),
  })}`;

  return (
    <div className="timeline-page">
      <div className="page-head">
        <h1>Timeline</h1>
        <span className="muted">
          {events.length.toLocaleString()} event{events.length === 1 ? '' : 's'}
          {truncated ? ` (the newest ${events.length.toLocaleString()} shown; zoom in for the rest)` : ''}
        </span>
      </div>
      <div className="timeline-controls">
        <div className="filter">
          <span>Range</span>
          {relative ? (
            <select
              aria-label="Range"
              value={relative}
              onChange={(e) => setQuery({ from: e.target.value, to: undefined })}
            >
              {RANGES.map((r) => (
                <option key={r.value} value={r.value}>
                  {r.label}
                </option>
              ))}
            </select>
          ) : (
            <button
              type="button"
              className="btn btn-small"
              onClick={() => setQuery({ from: undefined, to: undefined })}
            >
              Reset zoom ✕
            </button>
          )}
        </div>
        <label className="filter">
          <span>Stack by</span>
          <select
            value={by}
            onChange={(e) => setQuery({ by: e.target.value === 'type' ? 'type' : undefined })}
          >
            <option value="severity">Severity</option>
            <option value="type">Type</option>
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={markers}
            onChange={(e) => setQuery({ markers: e.target.checked ? 'deploys' : undefined })}
          />
          Deploys as markers
        </label>
        <span className="muted hint">Drag across the chart to zoom in.</span>
      </div>
      <ErrorNote error={error} />
      <Chart data={data} fromMs={fromMs} toMs={toMs} by={by} deploys={deploys} onHover={setHover} />
      <div className="hover-panel" data-testid="timeline-hover">
        {hover === null ? (
          <span className="muted">Hover a bar to see its events.</span>
        ) : hovered.length === 0 ? (
          <span className="muted">No events in this interval.</span>
        ) : (
          <>
            <strong>
              {hovered.length} event{hovered.length === 1 ? '' : 's'} from{' '}
              <Time iso={new Date((data.xs[hover] ?? 0) * 1000).toISOString()} />
            </strong>
            <ul>
              {hovered.slice(0, 12).map((e) => (
                <li key={`${e.source}\u0000${e.id}`}>
                  <Time iso={e.time} />
                  <SeverityBadge severity={e.severity} />
                  <strong>{e.type}</strong>
                  <span>
                    {e.source}
                    {e.subject ? ` → ${e.subject}` : ''}
                  </span>
                  {e.version ? <code>{e.version}</code> : null}
                  {typeof e.data?.description === 'string' ? (
                    <span className="hover-desc">{e.data.description}</span>
                  ) : null}
                </li>
              ))}
            </ul>
            <Link to={bucketLink}>
              {hovered.length > 12 ? `Open all ${hovered.length} in the feed` : 'Open in the feed'}
            </Link>
          </>
        )}
      </div>
    </div>
  );
}

function Chart(props: {
  data: TimelineData;
  fromMs: number;
  toMs: number;
  by: GroupBy;
  /** Deploy times (seconds) drawn as vertical markers over the bars. */
  deploys: number[];
  onHover(bucket: number | null): void;
}) {
  const box = useRef<HTMLDivElement>(null);
  const { data, fromMs, toMs, by, deploys, onHover } = props;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const bars = uPlot.paths.bars?.({ size: [0.9, 40], align: 1 });
    const colour = (group: string, i: number) =>
      by === 'severity'
        ? (SEVERITY_COLOURS[group] ?? '#94a3b8')
        : (TYPE_COLOURS[i % TYPE_COLOURS.length] as string);
    const options: uPlot.Options = {
      width: el.clientWidth,
      height: el.clientWidth < 600 ? 220 : 300,
      scales: {
        x: { time: true, range: [fromMs / 1000, toMs / 1000] },
        y: { range: (_u, _min, max) => [0, Math.max(1, max)] },
      },
      axes: [
        { stroke: '#64748b', grid: { stroke: 'rgba(100,116,139,0.15)' } },
        {
          stroke: '#64748b',
          grid: { stroke: 'rgba(100,116,139,0.15)' },
          // Counts are whole numbers: no 0.2-event ticks.
          incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000],
        },
      ],
      legend: { live: true },
      cursor: { drag: { x: true, y: false, setScale: false } },
      series: [
        // Values show while hovering only: at rest the legend is just the colour key.
        { value: (_u: uPlot, v: number | null) => (v === null ? '' : new Date(v * 1000).toLocaleString()) },
        ...data.groups.map((group, i) => ({
          label: group,
          fill: colour(group, i),
          stroke: colour(group, i),
          width: 0,
          paths: bars,
          points: { show: false },
          value: (_u: uPlot, _v: number | null, _s: number, idx: number | null) =>
            idx === null ? '' : String(data.counts[i]?.[idx] ?? 0),
        })),
      ],
      hooks: {
        draw: [
          (u) => {
            if (deploys.length === 0) return;
            const ctx = u.ctx;
            ctx.save();
            ctx.strokeStyle = '#7c3aed';
            ctx.lineWidth = Math.max(1, devicePixelRatio);
            ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio]);
            ctx.beginPath();
            for (const t of deploys) {
              const x = Math.round(u.valToPos(t, 'x', true));
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
            }
            ctx.stroke();
            ctx.restore();
          },
        ],
        setCursor: [(u) => onHover(u.cursor.idx ?? null)],
        setSelect: [
          (u) => {
            if (u.select.width < 5) return;
            const from = u.posToVal(u.select.left, 'x') * 1000;
            const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            setQuery({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
          },
        ],
      },
    };
    const plot = new uPlot(options, [data.xs, ...data.stacked], el);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: el.clientWidth, height: el.clientWidth < 600 ? 220 : 300 }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [data, fromMs, toMs, by, deploys, onHover]);

  return <div className="chart" ref={box} data-testid="timeline-chart" />;
}
