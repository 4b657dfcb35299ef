/**
 * Health checks: HTTP checks the server runs (extended API section 9). Create or edit one, pause,
 * resume, delete; see each one's status, uptime over a day and a week, and its recent response
 * times. A check that goes down puts an `incident` on the timeline and its recovery resolves it.
 * Everyone sees the list; owners and admins change it.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { Time } from '../../components/time';
import { useSession } from '../../session';
import { Field, NameField } from './form';
import { DeleteButton, SettingsTable } from './settings-table';
import { useRun } from './use-run';
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

/** A text or number input of the draft, labelled, showing the server's problem with its field. */
function Text(props: {
  label: string;
  name: keyof Draft;
  draft: Draft;
  set: (d: Draft) => void;
  error: unknown;
  type?: string;
  required?: boolean;
  placeholder?: string;
  min?: number;
}) {
  return (
    <Field label={props.label} field={props.name} error={props.error}>
      <input
        name={`check-${props.name}`}
        type={props.type ?? 'text'}
        required={props.required}
        min={props.min}
        placeholder={props.placeholder}
        value={props.draft[props.name]}
        onChange={(e) => props.set({ ...props.draft, [props.name]: e.target.value })}
      />
    </Field>
  );
}

/** A choice among fixed values of the draft (method, severity). */
function Choice(props: {
  label: string;
  name: 'method' | 'severity';
  options: string[];
  draft: Draft;
  set: (d: Draft) => void;
  error: unknown;
}) {
  return (
    <Field label={props.label} field={props.name} error={props.error}>
      <select
        name={`check-${props.name}`}
        value={props.draft[props.name]}
        onChange={(e) => props.set({ ...props.draft, [props.name]: e.target.value })}
      >
        {props.options.map((o) => (
          <option key={o}>{o}</option>
        ))}
      </select>
    </Field>
  );
}

export function HealthChecksSettings() {
  const { isAdmin } = useSession();
  const [checks, setChecks] = useState<Check[] | null>(null);
  const [runs, setRuns] = useState<Record<string, Run[]>>({});
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [editing, setEditing] = useState<string | null>(null);
  const { run, reload, error } = useRun((fail) => {
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
      .catch(fail);
  });
  // Statuses change on the server's schedule, not on this page's actions: look again now and then.
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const save = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      if (editing)
        await api(`/api/v1/checks/${encodeURIComponent(editing)}`, { method: 'PATCH', body: bodyOf(draft) });
      else await api('/api/v1/checks', { method: 'POST', body: bodyOf(draft) });
      setDraft(EMPTY);
      setEditing(null);
    });
  };

  const field = { draft, set: setDraft, error };
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
          <NameField
            label="Name"
            name="check-name"
            value={draft.name}
            placeholder="e.g. Checkout API"
            onChange={(e) => setDraft({ ...draft, name: e.target.value })}
            error={error}
          />
          <Text
            label="URL"
            name="url"
            type="url"
            required
            placeholder="https://api.example.com/health"
            {...field}
          />
          <Choice label="Method" name="method" options={METHODS} {...field} />
          <Text label="Expected status (empty: any 2xx)" name="expectedStatus" type="number" {...field} />
          <Text label="Expected body text" name="expectedBody" placeholder="e.g. ok" {...field} />
          <Text label="Every (seconds)" name="intervalSeconds" type="number" min={10} required {...field} />
          <Text label="Timeout (seconds)" name="timeoutSeconds" type="number" min={1} required {...field} />
          <Text label="Environment" name="subject" required placeholder="e.g. PRODUCTION" {...field} />
          <Text label="System" name="source" required placeholder="e.g. checkout" {...field} />
          <Choice label="Incident severity" name="severity" options={SEVERITIES} {...field} />
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
      <SettingsTable
        columns={['Name', 'Status', 'Uptime (day / week)', 'Response times', 'Target', 'Last run']}
        rows={checks}
        empty="No health checks yet."
      >
        {(c) => {
          const url = `/api/v1/checks/${encodeURIComponent(c.id)}`;
          return (
            <tr key={c.id} data-testid="check-row">
              <td>
                {c.name}
                <div className="muted">
                  {c.source} in {c.subject}
                </div>
              </td>
              <td className="wrap">
                <span className={`check-status ${c.paused ? 'paused' : c.status}`} data-testid="check-status">
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
                      onClick={() => run(() => api(url, { method: 'PATCH', body: { paused: !c.paused } }))}
                    >
                      {c.paused ? 'Resume' : 'Pause'}
                    </button>
                    <DeleteButton
                      url={url}
                      confirm="Its history goes too; its incidents stay on the timeline, an open one resolved."
                      run={run}
                    />
                  </>
                ) : null}
              </td>
            </tr>
          );
        }}
      </SettingsTable>
    </div>
  );
}
