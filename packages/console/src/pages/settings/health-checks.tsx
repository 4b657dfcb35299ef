/**
 * Health checks: HTTP checks the server runs (extended API section 9). Create or edit one, pause,
 * resume, delete; see each one's status, uptime over a day and a week, and its recent response
 * times. A check that goes down puts an `incident` on the timeline and its recovery resolves it.
 * Everyone sees the list; owners and admins change it.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { Time } from '../../components/time';
import { useSession } from '../../session';
import { ConfirmButton } from './confirm-button';
import './health-checks.css';

interface Run {
  time: string;
  ok: boolean;
  status: number;
  ms: number;
}

interface Check {
  id: string;
  name: string;
  url: string;
  method: string;
  expectedStatus: number | null;
  expectedBody: string | null;
  intervalSeconds: number;
  timeoutSeconds: number;
  subject: string;
  source: string;
  severity: string | null;
  paused: boolean;
  status: 'up' | 'down' | 'unknown';
  lastError: string | null;
  lastRunAt: string | null;
  uptime: { day: number | null; week: number | null };
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const SEVERITIES = ['LOW', 'MINOR', 'MAJOR', 'CRITICAL'];
const REFRESH_MS = 15_000;
const RECENT_RUNS = 30;

interface Draft {
  name: string;
  url: string;
  method: string;
  expectedStatus: string;
  expectedBody: string;
  intervalSeconds: string;
  timeoutSeconds: string;
  subject: string;
  source: string;
  severity: string;
}

const EMPTY: Draft = {
  name: '',
  url: '',
  method: 'GET',
  expectedStatus: '',
  expectedBody: '',
  intervalSeconds: '60',
  timeoutSeconds: '10',
  subject: '',
  source: '',
  severity: 'MAJOR',
};

const draftOf = (c: Check): Draft => ({
  name: c.name,
  url: c.url,
  method: c.method,
  expectedStatus: c.expectedStatus === null ? '' : String(c.expectedStatus),
  expectedBody: c.expectedBody ?? '',
  intervalSeconds: String(c.intervalSeconds),
  timeoutSeconds: String(c.timeoutSeconds),
  subject: c.subject,
  source: c.source,
  severity: c.severity ?? 'MAJOR',
});

/** The body the API takes; empty optional fields are cleared (null), numbers sent as numbers. */
const bodyOf = (d: Draft) => ({
  name: d.name,
  url: d.url,
  method: d.method,
  expectedStatus: d.expectedStatus === '' ? null : Number(d.expectedStatus),
  expectedBody: d.expectedBody === '' ? null : d.expectedBody,
  intervalSeconds: Number(d.intervalSeconds),
  timeoutSeconds: Number(d.timeoutSeconds),
  subject: d.subject,
  source: d.source,
  severity: d.severity,
});

const percent = (f: number | null) => (f === null ? '—' : `${(f * 100).toFixed(f === 1 ? 0 : 2)}%`);

/** Recent response times as a line, failed runs as red dots; the label says the same in words. */
function Sparkline({ runs }: { runs: Run[] }) {
  if (runs.length === 0) return <span className="muted">no runs yet</span>;
  const ordered = [...runs].reverse();
  const max = Math.max(1, ...ordered.map((r) => r.ms));
  const x = (i: number) => (ordered.length === 1 ? 60 : (i / (ordered.length - 1)) * 116 + 2);
  const y = (ms: number) => 26 - (ms / max) * 24;
  const passing = ordered.filter((r) => r.ok);
  const mean = passing.length ? Math.round(passing.reduce((sum, r) => sum + r.ms, 0) / passing.length) : null;
  const failed = ordered.length - passing.length;
  const label = `Last ${ordered.length} runs: ${mean === null ? 'none passed' : `mean ${mean} ms`}, ${failed} failed, slowest ${max} ms`;
  return (
    <svg className="check-spark" viewBox="0 0 120 28" role="img" aria-label={label} data-testid="check-spark">
      <title>{label}</title>
      <polyline points={ordered.map((r, i) => `${x(i)},${y(r.ms)}`).join(' ')} />
      {ordered.map((r, i) => (r.ok ? null : <circle key={r.time} cx={x(i)} cy={y(r.ms)} r={2.5} />))}
    </svg>
  );
}

function Text(props: {
  label: string;
  name: keyof Draft;
  draft: Draft;
  set: (d: Draft) => void;
  type?: string;
  required?: boolean;
  placeholder?: string;
  min?: number;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        name={`check-${props.name}`}
        type={props.type ?? 'text'}
        required={props.required}
        min={props.min}
        placeholder={props.placeholder}
        value={props.draft[props.name]}
        onChange={(e) => props.set({ ...props.draft, [props.name]: e.target.value })}
      />
    </label>
  );
}

export function HealthChecksSettings() {
  const { isAdmin } = useSession();
  const [checks, setChecks] = useState<Check[] | null>(null);
  const [runs, setRuns] = useState<Record<string, Run[]>>({});
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    api<{ checks: Check[] }>('/api/v1/checks')
      .then(async ({ checks: list }) => {
        setChecks(list);
        const details = await Promise.all(
          list.map((c) =>
            api<{ history: Run[] }>(`/api/v1/checks/${encodeURIComponent(c.id)}?limit=${RECENT_RUNS}`),
          ),
        );
        setRuns(Object.fromEntries(list.map((c, i) => [c.id, details[i]?.history ?? []])));
      })
      .catch(setError);
  }, []);
  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  const act = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
      load();
    } catch (err) {
      setError(err);
    }
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    return act(async () => {
      if (editing)
        await api(`/api/v1/checks/${encodeURIComponent(editing)}`, { method: 'PATCH', body: bodyOf(draft) });
      else await api('/api/v1/checks', { method: 'POST', body: bodyOf(draft) });
      setDraft(EMPTY);
      setEditing(null);
    });
  };

  return (
    <div>
      <h2>Health checks</h2>
      <p className="muted">
        The server calls each URL on its schedule. After two failed runs in a row the check is down and an
        incident goes on the timeline; the first passing run resolves it. Private and local addresses need the
        operator's OPSTRAILS_ALLOW_PRIVATE_TARGETS.
      </p>
      {isAdmin ? (
        <form
          className="inline-form"
          onSubmit={save}
          aria-label={editing ? 'Edit health check' : 'New health check'}
        >
          <Text
            label="Name"
            name="name"
            draft={draft}
            set={setDraft}
            required
            placeholder="e.g. Checkout API"
          />
          <Text
            label="URL"
            name="url"
            type="url"
            draft={draft}
            set={setDraft}
            required
            placeholder="https://api.example.com/health"
          />
          <label className="field">
            <span>Method</span>
            <select
              name="check-method"
              value={draft.method}
              onChange={(e) => setDraft({ ...draft, method: e.target.value })}
            >
              {METHODS.map((m) => (
                <option key={m}>{m}</option>
              ))}
            </select>
          </label>
          <Text
            label="Expected status (empty: any 2xx)"
            name="expectedStatus"
            type="number"
            draft={draft}
            set={setDraft}
          />
          <Text
            label="Expected body text"
            name="expectedBody"
            draft={draft}
            set={setDraft}
            placeholder="e.g. ok"
          />
          <Text
            label="Every (seconds)"
            name="intervalSeconds"
            type="number"
            min={10}
            draft={draft}
            set={setDraft}
            required
          />
          <Text
            label="Timeout (seconds)"
            name="timeoutSeconds"
            type="number"
            min={1}
            draft={draft}
            set={setDraft}
            required
          />
          <Text
            label="Environment"
            name="subject"
            draft={draft}
            set={setDraft}
            required
            placeholder="e.g. PRODUCTION"
          />
          <Text
            label="System"
            name="source"
            draft={draft}
            set={setDraft}
            required
            placeholder="e.g. checkout"
          />
          <label className="field">
            <span>Incident severity</span>
            <select
              name="check-severity"
              value={draft.severity}
              onChange={(e) => setDraft({ ...draft, severity: e.target.value })}
            >
              {SEVERITIES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn btn-primary">
            {editing ? 'Save check' : 'Add check'}
          </button>
          {editing ? (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                setEditing(null);
                setDraft(EMPTY);
              }}
            >
              Cancel
            </button>
          ) : null}
        </form>
      ) : (
        <p className="muted">Only owners and admins add or change health checks.</p>
      )}
      <ErrorNote error={error} />
      <div className="table-scroll">
        <table className="list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Status</th>
              <th>Uptime (day / week)</th>
              <th>Response times</th>
              <th>Target</th>
              <th>Last run</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {(checks ?? []).map((c) => (
              <tr key={c.id} data-testid="check-row">
                <td>
                  {c.name}
                  <div className="muted">
                    {c.source} in {c.subject}
                  </div>
                </td>
                <td className="wrap">
                  <span
                    className={`check-status ${c.paused ? 'paused' : c.status}`}
                    data-testid="check-status"
                  >
                    {c.paused ? 'paused' : c.status}
                  </span>
                  {c.lastError ? <div className="check-error">{c.lastError}</div> : null}
                </td>
                <td data-testid="check-uptime">
                  {percent(c.uptime.day)} / {percent(c.uptime.week)}
                </td>
                <td>
                  <Sparkline runs={runs[c.id] ?? []} />
                </td>
                <td className="wrap check-target">
                  <code>
                    {c.method} {c.url}
                  </code>
                  <div className="muted">every {c.intervalSeconds} s</div>
                </td>
                <td>{c.lastRunAt ? <Time iso={c.lastRunAt} /> : <span className="muted">not yet</span>}</td>
                <td className="actions">
                  {isAdmin ? (
                    <>
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        onClick={() => {
                          setEditing(c.id);
                          setDraft(draftOf(c));
                        }}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        onClick={() =>
                          act(() =>
                            api(`/api/v1/checks/${encodeURIComponent(c.id)}`, {
                              method: 'PATCH',
                              body: { paused: !c.paused },
                            }),
                          )
                        }
                      >
                        {c.paused ? 'Resume' : 'Pause'}
                      </button>
                      <ConfirmButton
                        label="Delete"
                        confirm="Its history goes too; its incidents stay on the timeline."
                        onConfirm={() =>
                          act(() => api(`/api/v1/checks/${encodeURIComponent(c.id)}`, { method: 'DELETE' }))
                        }
                      />
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
            {checks && checks.length === 0 ? (
              <tr>
                <td colSpan={7} className="muted">
                  No health checks yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
