/** Deployment policies: each rule in plain words (the server's summary), and the form admins add and edit with. */
import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { Field, list, NameField } from './form';
import {
  type Channel,
  ChannelPicker,
  GuardrailActions,
  joined,
  type Policy,
  scope,
} from './guardrail-shared';
import { SettingsTable } from './settings-table';
import { type Run, useFormRun } from './use-run';

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

export function PolicySection(props: {
  policies: Policy[];
  channels: Channel[];
  isAdmin: boolean;
  run: Run;
}) {
  const [name, setName] = useState('');
  const [ruleType, setRuleType] = useState('BLOCKED_DAYS');
  const [values, setValues] = useState<Record<string, string>>({});
  const [subjects, setSubjects] = useState('');
  const [sources, setSources] = useState('');
  const [notify, setNotify] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const submitted = useFormRun(props.run);
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
    return submitted.run(async () => {
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
          <NameField
            label="Name"
            name="policy-name"
            value={name}
            placeholder="No Friday evening deploys"
            onChange={(e) => setName(e.target.value)}
            error={submitted.error}
          />
          <Field label="Rule" field="ruleType" error={submitted.error}>
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
          </Field>
          {rule.fields.map((f) => (
            <Field label={f.label} key={f.name} field={`config.${f.name}`} error={submitted.error}>
              <input
                name={`policy-${f.name}`}
                required
                value={values[f.name] ?? ''}
                placeholder={f.example}
                onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              />
            </Field>
          ))}
          <Field label="Subjects (empty: all)" field="subjects" error={submitted.error}>
            <input
              name="policy-subjects"
              value={subjects}
              onChange={(e) => setSubjects(e.target.value)}
              placeholder="PRODUCTION"
            />
          </Field>
          <Field label="Sources (empty: all)" field="sources" error={submitted.error}>
            <input name="policy-sources" value={sources} onChange={(e) => setSources(e.target.value)} />
          </Field>
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
      <SettingsTable
        columns={['Name', 'Rule', 'Applies to', 'Status']}
        rows={props.policies}
        empty="No deployment policies."
      >
        {(p) => {
          const url = `/api/v1/guardrails/policies/${encodeURIComponent(p.id)}`;
          return (
            <tr key={p.id} data-testid="policy-row">
              <td>{p.name}</td>
              <td className="wrap" data-testid="policy-summary">
                {p.summary}
              </td>
              <td className="wrap muted">{scope(p)}</td>
              <td>{p.enabled ? 'enabled' : 'disabled'}</td>
              <td className="actions">
                {props.isAdmin ? (
                  <GuardrailActions url={url} enabled={p.enabled} onEdit={() => edit(p)} run={props.run} />
                ) : null}
              </td>
            </tr>
          );
        }}
      </SettingsTable>
    </section>
  );
}
