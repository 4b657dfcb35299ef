/**
 * Guardrails: change freeze windows on a calendar strip (the next four weeks, day by day, in the
 * browser's zone) and deployment policies, each rule in plain words (the server's `summary`).
 * Owners and admins create, edit, enable/disable and delete them; members see them.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { useSession } from '../../session';
import { ConfirmButton } from './confirm-button';
import './guardrails.css';

interface Freeze {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  subjects: string[];
  sources: string[];
  types: string[];
  severities: string[];
  notificationChannels: string[];
  enabled: boolean;
  recurrence: { rrule: string; duration: string; timezone: string } | null;
  state: string;
  occurrences: { start: string; end: string }[];
}

interface Policy {
  id: string;
  name: string;
  ruleType: string;
  config: Record<string, unknown>;
  subjects: string[];
  sources: string[];
  types: string[];
  notificationChannels: string[];
  enabled: boolean;
  summary: string;
}

interface Channel {
  id: string;
  name: string;
}

type FieldKind = 'int' | 'number' | 'days' | 'zone';
const RULES: Record<
  string,
  { label: string; fields: { name: string; label: string; kind: FieldKind; example: string }[] }
> = {
  BLOCKED_DAYS: {
    label: 'Blocked days',
    fields: [
      { name: 'days', label: 'Days (comma-separated)', kind: 'days', example: 'SATURDAY, SUNDAY' },
      { name: 'timezone', label: 'Time zone', kind: 'zone', example: 'Europe/Berlin' },
    ],
  },
  ALLOWED_HOURS: {
    label: 'Allowed hours',
    fields: [
      { name: 'startHour', label: 'From hour (0-23)', kind: 'int', example: '9' },
      { name: 'endHour', label: 'Until hour (0-23)', kind: 'int', example: '17' },
      { name: 'timezone', label: 'Time zone', kind: 'zone', example: 'Europe/Berlin' },
    ],
  },
  DAILY_CAP: {
    label: 'Daily cap',
    fields: [
      { name: 'maxCount', label: 'At most per day', kind: 'int', example: '5' },
      { name: 'timezone', label: 'Time zone', kind: 'zone', example: 'Europe/Berlin' },
    ],
  },
  COOLDOWN: {
    label: 'Cooldown',
    fields: [{ name: 'cooldownMinutes', label: 'Minutes between deploys', kind: 'int', example: '30' }],
  },
  ROLLBACK_RATE: {
    label: 'Rollback rate',
    fields: [
      { name: 'threshold', label: 'Max share of rollbacks (0-1)', kind: 'number', example: '0.2' },
      { name: 'windowHours', label: 'Over hours', kind: 'int', example: '24' },
      { name: 'minDeployments', label: 'Once deployments reach', kind: 'int', example: '5' },
    ],
  },
  VELOCITY: {
    label: 'Velocity',
    fields: [
      { name: 'maxCount', label: 'At most deployments', kind: 'int', example: '3' },
      { name: 'windowMinutes', label: 'In minutes', kind: 'int', example: '60' },
    ],
  },
};

const DAY_MS = 86_400_000;
const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
const joined = (values: string[]) => values.join(', ');
/** `datetime-local` value (the browser's zone) of an ISO instant, and back. */
const toLocalInput = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : '');

function scope(g: { subjects: string[]; sources: string[]; types: string[] }): string {
  const parts = [
    g.sources.length ? `sources ${joined(g.sources)}` : '',
    g.subjects.length ? `subjects ${joined(g.subjects)}` : '',
    g.types.length ? `types ${joined(g.types)}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'every guarded event';
}

function CalendarStrip({ freezes }: { freezes: Freeze[] }) {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const days = Array.from({ length: 28 }, (_, i) => new Date(start.getTime() + i * DAY_MS));
  return (
    <div
      className="strip"
      data-testid="calendar-strip"
      role="img"
      aria-label="Freeze windows over the next four weeks"
    >
      <span />
      {days.map((d) => (
        <span key={d.getTime()} className="strip-day">
          {d.getDate()}
        </span>
      ))}
      {freezes.map((f) => (
        <div key={f.id} style={{ display: 'contents' }}>
          <span className="strip-name">{f.name}</span>
          {days.map((d, i) => {
            const from = d.getTime();
            const frozen =
              f.enabled &&
              f.occurrences.some((o) => Date.parse(o.start) < from + DAY_MS && Date.parse(o.end) > from);
            return (
              <span
                key={from}
                className={`strip-cell${frozen ? ' frozen' : ''}${i === 0 ? ' today' : ''}`}
                data-testid={frozen ? 'strip-frozen' : undefined}
                title={`${f.name}, ${d.toDateString()}: ${frozen ? 'frozen' : 'open'}`}
              />
            );
          })}
        </div>
      ))}
    </div>
  );
}

function ChannelPicker(props: { channels: Channel[]; value: string[]; onChange(ids: string[]): void }) {
  if (props.channels.length === 0)
    return <span className="muted">No channels yet (Settings → Channels).</span>;
  return (
    <span className="field">
      <span>Notify</span>
      {props.channels.map((c) => (
        <label key={c.id}>
          <input
            type="checkbox"
            checked={props.value.includes(c.id)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.value, c.id] : props.value.filter((x) => x !== c.id),
              )
            }
          />{' '}
          {c.name}
        </label>
      ))}
    </span>
  );
}

const EMPTY_FREEZE = {
  name: '',
  startsAt: '',
  endsAt: '',
  subjects: '',
  sources: '',
  rrule: '',
  duration: '',
  timezone: '',
};

function FreezeSection(props: {
  freezes: Freeze[];
  channels: Channel[];
  isAdmin: boolean;
  run(a: () => Promise<unknown>): Promise<void>;
}) {
  const [form, setForm] = useState(EMPTY_FREEZE);
  const [notify, setNotify] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const set = (k: keyof typeof EMPTY_FREEZE) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  const edit = (f: Freeze) => {
    setEditing(f.id);
    setNotify(f.notificationChannels);
    setForm({
      name: f.name,
      startsAt: toLocalInput(f.startsAt),
      endsAt: toLocalInput(f.endsAt),
      subjects: joined(f.subjects),
      sources: joined(f.sources),
      rrule: f.recurrence?.rrule ?? '',
      duration: f.recurrence?.duration ?? '',
      timezone: f.recurrence?.timezone ?? '',
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      name: form.name,
      startsAt: fromLocalInput(form.startsAt),
      endsAt: fromLocalInput(form.endsAt),
      subjects: list(form.subjects),
      sources: list(form.sources),
      notificationChannels: notify,
      recurrence: form.rrule ? { rrule: form.rrule, duration: form.duration, timezone: form.timezone } : null,
    };
    return props.run(async () => {
      await api(
        editing ? `/api/v1/guardrails/freezes/${encodeURIComponent(editing)}` : '/api/v1/guardrails/freezes',
        {
          method: editing ? 'PATCH' : 'POST',
          body,
        },
      );
      setForm(EMPTY_FREEZE);
      setNotify([]);
      setEditing(null);
    });
  };

  return (
    <section>
      <h3>Change freeze windows</h3>
      <CalendarStrip freezes={props.freezes} />
      {props.isAdmin ? (
        <form className="inline-form guardrail-form" onSubmit={submit} aria-label="Freeze window">
          <label className="field">
            <span>Name</span>
            <input
              name="freeze-name"
              required
              maxLength={100}
              value={form.name}
              onChange={set('name')}
              placeholder="Holiday Freeze"
            />
          </label>
          <label className="field">
            <span>Starts</span>
            <input
              name="freeze-starts"
              type="datetime-local"
              required
              value={form.startsAt}
              onChange={set('startsAt')}
            />
          </label>
          <label className="field">
            <span>Ends</span>
            <input
              name="freeze-ends"
              type="datetime-local"
              required
              value={form.endsAt}
              onChange={set('endsAt')}
            />
          </label>
          <label className="field">
            <span>Subjects (empty: all)</span>
            <input
              name="freeze-subjects"
              value={form.subjects}
              onChange={set('subjects')}
              placeholder="PRODUCTION"
            />
          </label>
          <label className="field">
            <span>Sources (empty: all)</span>
            <input name="freeze-sources" value={form.sources} onChange={set('sources')} />
          </label>
          <label className="field">
            <span>Repeats (RRULE, optional)</span>
            <input
              name="freeze-rrule"
              value={form.rrule}
              onChange={set('rrule')}
              placeholder="FREQ=WEEKLY;BYDAY=FR;BYHOUR=16"
            />
          </label>
          {form.rrule ? (
            <>
              <label className="field">
                <span>Each lasts (ISO 8601)</span>
                <input
                  name="freeze-duration"
                  required
                  value={form.duration}
                  onChange={set('duration')}
                  placeholder="PT64H"
                />
              </label>
              <label className="field">
                <span>In time zone</span>
                <input
                  name="freeze-timezone"
                  required
                  value={form.timezone}
                  onChange={set('timezone')}
                  placeholder="Europe/Berlin"
                />
              </label>
            </>
          ) : null}
          <ChannelPicker channels={props.channels} value={notify} onChange={setNotify} />
          <button type="submit" className="btn btn-primary">
            {editing ? 'Save window' : 'Add window'}
          </button>
          {editing ? (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                setEditing(null);
                setForm(EMPTY_FREEZE);
              }}
            >
              Cancel
            </button>
          ) : null}
        </form>
      ) : null}
      <table className="list">
        <thead>
          <tr>
            <th>Name</th>
            <th>When</th>
            <th>Applies to</th>
            <th>State</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {props.freezes.map((f) => (
            <tr key={f.id} data-testid="freeze-row">
              <td>{f.name}</td>
              <td className="wrap">
                {new Date(f.startsAt).toLocaleString()} – {new Date(f.endsAt).toLocaleString()}
                {f.recurrence
                  ? ` · repeats ${f.recurrence.rrule} for ${f.recurrence.duration} (${f.recurrence.timezone})`
                  : ''}
              </td>
              <td className="wrap muted">{scope(f)}</td>
              <td className={`state-${f.state}`}>{f.enabled ? f.state : 'disabled'}</td>
              <td className="actions">
                {props.isAdmin ? (
                  <>
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => edit(f)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() =>
                        props.run(() =>
                          api(`/api/v1/guardrails/freezes/${encodeURIComponent(f.id)}`, {
                            method: 'PATCH',
                            body: { enabled: !f.enabled },
                          }),
                        )
                      }
                    >
                      {f.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirm="Violations already recorded stay."
                      onConfirm={() =>
                        props.run(() =>
                          api(`/api/v1/guardrails/freezes/${encodeURIComponent(f.id)}`, { method: 'DELETE' }),
                        )
                      }
                    />
                  </>
                ) : null}
              </td>
            </tr>
          ))}
          {props.freezes.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No freeze windows.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

function PolicySection(props: {
  policies: Policy[];
  channels: Channel[];
  isAdmin: boolean;
  run(a: () => Promise<unknown>): Promise<void>;
}) {
  const [name, setName] = useState('');
  const [ruleType, setRuleType] = useState('BLOCKED_DAYS');
  const [values, setValues] = useState<Record<string, string>>({});
  const [subjects, setSubjects] = useState('');
  const [sources, setSources] = useState('');
  const [notify, setNotify] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const rule = RULES[ruleType] ?? (RULES.BLOCKED_DAYS as (typeof RULES)[string]);

  const reset = () => {
    setEditing(null);
    setName('');
    setValues({});
    setSubjects('');
    setSources('');
    setNotify([]);
  };

  const edit = (p: Policy) => {
    setEditing(p.id);
    setName(p.name);
    setRuleType(p.ruleType);
    setValues(
      Object.fromEntries(
        Object.entries(p.config).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]),
      ),
    );
    setSubjects(joined(p.subjects));
    setSources(joined(p.sources));
    setNotify(p.notificationChannels);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const config: Record<string, unknown> = {};
    for (const f of rule.fields) {
      const v = (values[f.name] ?? '').trim();
      config[f.name] =
        f.kind === 'days' ? list(v.toUpperCase()) : f.kind === 'zone' ? v : v === '' ? undefined : Number(v);
    }
    const body = {
      name,
      ruleType,
      config,
      subjects: list(subjects),
      sources: list(sources),
      notificationChannels: notify,
    };
    return props.run(async () => {
      await api(
        editing
          ? `/api/v1/guardrails/policies/${encodeURIComponent(editing)}`
          : '/api/v1/guardrails/policies',
        {
          method: editing ? 'PATCH' : 'POST',
          body,
        },
      );
      reset();
    });
  };

  return (
    <section>
      <h3>Deployment policies</h3>
      {props.isAdmin ? (
        <form className="inline-form guardrail-form" onSubmit={submit} aria-label="Deployment policy">
          <label className="field">
            <span>Name</span>
            <input
              name="policy-name"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="No Friday evening deploys"
            />
          </label>
          <label className="field">
            <span>Rule</span>
            <select
              name="policy-rule"
              value={ruleType}
              onChange={(e) => {
                setRuleType(e.target.value);
                setValues({});
              }}
            >
              {Object.entries(RULES).map(([t, r]) => (
                <option key={t} value={t}>
                  {r.label}
                </option>
              ))}
            </select>
          </label>
          {rule.fields.map((f) => (
            <label className="field" key={f.name}>
              <span>{f.label}</span>
              <input
                name={`policy-${f.name}`}
                required
                value={values[f.name] ?? ''}
                placeholder={f.example}
                onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              />
            </label>
          ))}
          <label className="field">
            <span>Subjects (empty: all)</span>
            <input
              name="policy-subjects"
              value={subjects}
              onChange={(e) => setSubjects(e.target.value)}
              placeholder="PRODUCTION"
            />
          </label>
          <label className="field">
            <span>Sources (empty: all)</span>
            <input name="policy-sources" value={sources} onChange={(e) => setSources(e.target.value)} />
          </label>
          <ChannelPicker channels={props.channels} value={notify} onChange={setNotify} />
          <button type="submit" className="btn btn-primary">
            {editing ? 'Save policy' : 'Add policy'}
          </button>
          {editing ? (
            <button type="button" className="btn btn-ghost" onClick={reset}>
              Cancel
            </button>
          ) : null}
        </form>
      ) : null}
      <table className="list">
        <thead>
          <tr>
            <th>Name</th>
            <th>Rule</th>
            <th>Applies to</th>
            <th>Status</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {props.policies.map((p) => (
            <tr key={p.id} data-testid="policy-row">
              <td>{p.name}</td>
              <td className="wrap" data-testid="policy-summary">
                {p.summary}
              </td>
              <td className="wrap muted">{scope(p)}</td>
              <td>{p.enabled ? 'enabled' : 'disabled'}</td>
              <td className="actions">
                {props.isAdmin ? (
                  <>
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => edit(p)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() =>
                        props.run(() =>
                          api(`/api/v1/guardrails/policies/${encodeURIComponent(p.id)}`, {
                            method: 'PATCH',
                            body: { enabled: !p.enabled },
                          }),
                        )
                      }
                    >
                      {p.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirm="Violations already recorded stay."
                      onConfirm={() =>
                        props.run(() =>
                          api(`/api/v1/guardrails/policies/${encodeURIComponent(p.id)}`, {
                            method: 'DELETE',
                          }),
                        )
                      }
                    />
                  </>
                ) : null}
              </td>
            </tr>
          ))}
          {props.policies.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No deployment policies.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}

export function GuardrailsSettings() {
  const { isAdmin } = useSession();
  const [freezes, setFreezes] = useState<Freeze[]>([]);
  const [policies, setPolicies] = useState<Policy[]>([]);
  const [channels, setChannels] = useState<Channel[]>([]);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    api<{ freezes: Freeze[] }>('/api/v1/guardrails/freezes')
      .then((d) => setFreezes(d.freezes))
      .catch(setError);
    api<{ policies: Policy[] }>('/api/v1/guardrails/policies')
      .then((d) => setPolicies(d.policies))
      .catch(setError);
    api<{ channels: Channel[] }>('/api/v1/channels')
      .then((d) => setChannels(d.channels))
      .catch(() => setChannels([]));
  }, []);
  useEffect(load, [load]);

  const run = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      load();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div>
      <h2>Guardrails</h2>
      <p className="muted">
        Advisory rules for changes: events are never refused, but a deploy during a freeze or against a policy
        is recorded as a violation, badged in the feed and grid, and sent to the chosen channels. Pipelines
        can ask first (GET /api/v1/guardrails/check, or the GitHub Action's check-guardrails input).
      </p>
      {!isAdmin ? <p className="muted">Only owners and admins add or change guardrails.</p> : null}
      <ErrorNote error={error} />
      <FreezeSection freezes={freezes} channels={channels} isAdmin={isAdmin} run={run} />
      <PolicySection policies={policies} channels={channels} isAdmin={isAdmin} run={run} />
    </div>
  );
}
