/**
 * Settings → Analytics: the integrations metrics are read from (Prometheus and the SaaS providers,
 * each with its fields and a link to where each credential is found), a test of each (what
 * the provider answered, shown as it came), and the mappings from a query to a metric name, each
 * with a preview of the series its query returns over the last two hours. Secrets are write-only
 * (masked in the list). Members see the lists and previews only.
 */
import { type FormEvent, Fragment, useState } from 'react';
import { api, queryString } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { useSession } from '../../session';
import { configOf, PROVIDER_FORMS } from './analytics-providers';
import { Field, list, NameField } from './form';
import { DeleteButton, SettingsTable } from './settings-table';
import { useRun } from './use-run';

interface Integration {
  id: string;
  provider: string;
  name: string;
  config: Record<string, unknown>;
  status: string;
  lastError: string | null;
}

interface Mapping {
  id: string;
  metric: string;
  integrationId: string;
  query: string;
  subjects: string[];
  subjectValues: Record<string, string>;
  direction: string;
}

interface Series {
  step: string;
  points: { time: string; value: number }[];
}

const DIRECTIONS = ['lower-is-better', 'higher-is-better', 'either'];

/** "PRODUCTION=prod, STAGING=stg" → {PRODUCTION: "prod", STAGING: "stg"}. */
function parsePairs(text: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const part of text.split(',')) {
    const [key, ...rest] = part.split('=');
    if (key?.trim() && rest.length > 0) pairs[key.trim()] = rest.join('=').trim();
  }
  return pairs;
}

/** A line of the series, drawn as SVG (values are numbers; nothing from the server becomes markup). */
function Sparkline({ points }: { points: Series['points'] }) {
  const width = 320;
  const height = 60;
  const values = points.map((p) => p.value);
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const path = points
    .map((p, i) => {
      const x = points.length === 1 ? width / 2 : (i / (points.length - 1)) * width;
      const y = height - ((p.value - min) / span) * (height - 4) - 2;
      return `${i === 0 ? 'M' : 'L'}${x.toFixed(1)},${y.toFixed(1)}`;
    })
    .join(' ');
  return (
    <svg
      width={width}
      height={height}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label="series preview"
    >
      <path d={path} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}

function Preview({ mapping }: { mapping: Mapping }) {
  const [subject, setSubject] = useState(mapping.subjects[0] === '*' ? '' : (mapping.subjects[0] ?? ''));
  const [series, setSeries] = useState<Series | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = (event?: FormEvent) => {
    event?.preventDefault();
    setError(null);
    setSeries(null);
    api<Series>(`/api/v1/metrics/series${queryString({ metric: mapping.metric, subject, from: '-2h' })}`)
      .then(setSeries)
      .catch(setError);
  };
  const values = series?.points.map((p) => p.value) ?? [];
  return (
    <div className="mapping-preview" data-testid="mapping-preview">
      <form className="inline-form" onSubmit={load}>
        <Field label="Subject">
          <input
            name="preview-subject"
            value={subject}
            required
            onChange={(e) => setSubject(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn btn-small">
          Show last 2 hours
        </button>
      </form>
      <ErrorNote error={error} />
      {series && series.points.length === 0 ? (
        <p className="muted">The query returned no points in the last 2 hours.</p>
      ) : null}
      {series && series.points.length > 0 ? (
        <div>
          <Sparkline points={series.points} />
          <p className="muted" data-testid="preview-summary">
            {series.points.length} points at {series.step}, from {Math.min(...values)} to{' '}
            {Math.max(...values)}, last {values[values.length - 1]}
          </p>
        </div>
      ) : null}
    </div>
  );
}

export function AnalyticsSettings() {
  const { isAdmin } = useSession();
  const [integrations, setIntegrations] = useState<Integration[] | null>(null);
  const [mappings, setMappings] = useState<Mapping[] | null>(null);
  const [tested, setTested] = useState<Record<string, { ok: boolean; message: string; latencyMs: number }>>(
    {},
  );
  const [previewing, setPreviewing] = useState<string | null>(null);
  const [integration, setIntegration] = useState({
    name: '',
    provider: 'prometheus',
    values: {} as Record<string, string>,
  });
  const form = PROVIDER_FORMS.find((f) => f.provider === integration.provider) ?? PROVIDER_FORMS[0];
  const [mapping, setMapping] = useState({
    metric: '',
    integrationId: '',
    query: '',
    subjects: '',
    subjectValues: '',
    direction: 'lower-is-better',
  });

  const { run, error } = useRun((fail) => {
    api<{ integrations: Integration[] }>('/api/v1/integrations')
      .then((d) => setIntegrations(d.integrations))
      .catch(fail);
    api<{ mappings: Mapping[] }>('/api/v1/metrics/mappings')
      .then((d) => setMappings(d.mappings))
      .catch(fail);
  });

  const addIntegration = (event: FormEvent) => {
    event.preventDefault();
    if (!form) return;
    const config = configOf(form, integration.values);
    return run(async () => {
      await api('/api/v1/integrations', {
        method: 'POST',
        body: { provider: form.provider, name: integration.name, config },
      });
      setIntegration((v) => ({ ...v, name: '', values: {} }));
    });
  };

  const test = (i: Integration) =>
    run(async () => {
      const answer = await api<{ ok: boolean; message: string; latencyMs: number }>(
        `/api/v1/integrations/${encodeURIComponent(i.id)}/test`,
        { method: 'POST', body: {} },
      );
      setTested((t) => ({ ...t, [i.id]: answer }));
    });

  const addMapping = (event: FormEvent) => {
    event.preventDefault();
    const integrationId = mapping.integrationId || integrations?.[0]?.id || '';
    return run(async () => {
      await api('/api/v1/metrics/mappings', {
        method: 'POST',
        body: {
          metric: mapping.metric.trim(),
          integrationId,
          query: mapping.query,
          subjects: list(mapping.subjects),
          subjectValues: parsePairs(mapping.subjectValues),
          direction: mapping.direction,
        },
      });
      setMapping((m) => ({ ...m, metric: '', query: '', subjects: '', subjectValues: '' }));
    });
  };

  const nameOf = (id: string) => integrations?.find((i) => i.id === id)?.name ?? id;

  return (
    <div>
      <h2>Analytics</h2>
      <p className="muted">
        Where metrics come from besides the points your systems push: Prometheus, Datadog, Sentry, New Relic,
        Google Analytics 4 or Adobe Analytics, read with a query per metric. Impact analysis compares each
        mapped metric before and after an event. A Prometheus on a private address needs the operator's
        OPSTRAILS_ALLOW_PRIVATE_TARGETS.
      </p>
      <ErrorNote error={error} />

      <h3>Integrations</h3>
      {isAdmin ? (
        <form className="inline-form" onSubmit={addIntegration}>
          <NameField
            label="Integration name"
            name="integration-name"
            value={integration.name}
            placeholder="e.g. Prometheus"
            onChange={(e) => setIntegration((v) => ({ ...v, name: e.target.value }))}
            error={error}
          />
          <Field label="Provider" field="provider" error={error}>
            <select
              name="integration-provider"
              value={integration.provider}
              onChange={(e) => setIntegration((v) => ({ ...v, provider: e.target.value, values: {} }))}
            >
              {PROVIDER_FORMS.map((f) => (
                <option key={f.provider} value={f.provider}>
                  {f.label}
                </option>
              ))}
            </select>
          </Field>
          {form?.fields.map((f) => {
            const value = integration.values[f.name] ?? '';
            const set = (next: string) =>
              setIntegration((v) => ({ ...v, values: { ...v.values, [f.name]: next } }));
            return (
              <div className="field" key={`${form.provider}.${f.name}`}>
                <label htmlFor={`integration-${f.name}`}>
                  <span>{f.label}</span>
                </label>
                {f.options ? (
                  <select
                    id={`integration-${f.name}`}
                    name={`integration-${f.name}`}
                    value={value || f.options[0]}
                    onChange={(e) => set(e.target.value)}
                  >
                    {f.options.map((o) => (
                      <option key={o}>{o}</option>
                    ))}
                  </select>
                ) : f.multiline ? (
                  <textarea
                    id={`integration-${f.name}`}
                    name={`integration-${f.name}`}
                    required={!f.optional}
                    rows={3}
                    autoComplete="off"
                    value={value}
                    onChange={(e) => set(e.target.value)}
                  />
                ) : (
                  <input
                    id={`integration-${f.name}`}
                    name={`integration-${f.name}`}
                    required={!f.optional}
                    type={f.secret ? 'password' : 'text'}
                    autoComplete="off"
                    placeholder={f.placeholder}
                    value={value}
                    onChange={(e) => set(e.target.value)}
                  />
                )}
                {f.help ? (
                  <a className="muted" href={f.help.url} target="_blank" rel="noreferrer">
                    {f.help.text}
                  </a>
                ) : null}
              </div>
            );
          })}
          <button type="submit" className="btn btn-primary">
            Add integration
          </button>
        </form>
      ) : (
        <p className="muted">Only owners and admins add or change integrations and mappings.</p>
      )}
      <SettingsTable
        columns={['Name', 'Provider', 'Settings', 'Status']}
        rows={integrations}
        empty="No integrations yet."
      >
        {(i, span) => (
          <Fragment key={i.id}>
            <tr data-testid="integration-row">
              <td>{i.name}</td>
              <td>{i.provider}</td>
              <td className="wrap muted">
                {Object.entries(i.config)
                  .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
                  .join(' · ')}
              </td>
              <td className="wrap">{i.lastError ? `${i.status}: ${i.lastError}` : i.status}</td>
              <td className="actions">
                {isAdmin ? (
                  <>
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => test(i)}>
                      Test
                    </button>
                    <DeleteButton
                      url={`/api/v1/integrations/${encodeURIComponent(i.id)}`}
                      confirm="Delete its mappings first."
                      run={run}
                    />
                  </>
                ) : null}
              </td>
            </tr>
            {tested[i.id] ? (
              <tr>
                <td
                  colSpan={span}
                  className={tested[i.id]?.ok ? 'test-ok' : 'test-failed'}
                  data-testid="integration-test"
                >
                  {tested[i.id]?.ok ? 'Test ok: ' : 'Test failed: '}
                  {tested[i.id]?.message} ({tested[i.id]?.latencyMs} ms)
                </td>
              </tr>
            ) : null}
          </Fragment>
        )}
      </SettingsTable>

      <h3>Mappings</h3>
      {isAdmin && integrations && integrations.length > 0 ? (
        <form className="inline-form" onSubmit={addMapping}>
          <Field label="Metric" field="metric" error={error}>
            <input
              name="mapping-metric"
              required
              placeholder="error_rate"
              value={mapping.metric}
              onChange={(e) => setMapping((m) => ({ ...m, metric: e.target.value }))}
            />
          </Field>
          <Field label="From integration" field="integrationId" error={error}>
            <select
              name="mapping-integration"
              value={mapping.integrationId}
              onChange={(e) => setMapping((m) => ({ ...m, integrationId: e.target.value }))}
            >
              {integrations.map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name}
                </option>
              ))}
            </select>
          </Field>
          <Field label="Query ($subject and $source are replaced)" field="query" error={error}>
            <input
              name="mapping-query"
              required
              placeholder={'sum(rate(http_errors_total{env="$subject"}[5m]))'}
              value={mapping.query}
              onChange={(e) => setMapping((m) => ({ ...m, query: e.target.value }))}
            />
          </Field>
          <Field label="Subjects (comma-separated, * for all)" field="subjects" error={error}>
            <input
              name="mapping-subjects"
              required
              placeholder="PRODUCTION, STAGING"
              value={mapping.subjects}
              onChange={(e) => setMapping((m) => ({ ...m, subjects: e.target.value }))}
            />
          </Field>
          <Field label="Subject values (optional)" field="subjectValues" error={error}>
            <input
              name="mapping-subject-values"
              placeholder="PRODUCTION=prod, STAGING=staging"
              value={mapping.subjectValues}
              onChange={(e) => setMapping((m) => ({ ...m, subjectValues: e.target.value }))}
            />
          </Field>
          <Field label="Better when" field="direction" error={error}>
            <select
              name="mapping-direction"
              value={mapping.direction}
              onChange={(e) => setMapping((m) => ({ ...m, direction: e.target.value }))}
            >
              {DIRECTIONS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </select>
          </Field>
          <button type="submit" className="btn btn-primary">
            Add mapping
          </button>
        </form>
      ) : null}
      <SettingsTable
        columns={['Metric', 'Integration', 'Query', 'Subjects', 'Direction']}
        rows={mappings}
        empty="No mappings yet."
      >
        {(m, span) => (
          <Fragment key={m.id}>
            <tr data-testid="mapping-row">
              <td>{m.metric}</td>
              <td className="wrap">{nameOf(m.integrationId)}</td>
              <td className="wrap">
                <code>{m.query}</code>
              </td>
              <td className="wrap">
                {m.subjects.map((s) => (m.subjectValues[s] ? `${s} (${m.subjectValues[s]})` : s)).join(', ')}
              </td>
              <td>{m.direction}</td>
              <td className="actions">
                <button
                  type="button"
                  className="btn btn-small btn-ghost"
                  onClick={() => setPreviewing(previewing === m.id ? null : m.id)}
                >
                  {previewing === m.id ? 'Hide preview' : 'Preview'}
                </button>
                {isAdmin ? (
                  <DeleteButton
                    url={`/api/v1/metrics/mappings/${encodeURIComponent(m.id)}`}
                    confirm="Impact analysis stops reading it."
                    run={run}
                  />
                ) : null}
              </td>
            </tr>
            {previewing === m.id ? (
              <tr>
                <td colSpan={span}>
                  <Preview mapping={m} />
                </td>
              </tr>
            ) : null}
          </Fragment>
        )}
      </SettingsTable>
    </div>
  );
}
