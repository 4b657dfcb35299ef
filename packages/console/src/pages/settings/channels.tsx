/**
 * Notification channels: create (each type's fields; secrets are write-only and come back
 * masked), test send (the service's answer shown as it came), enable/disable, delete, which
 * channels hear incident triage, each channel's delivery log, and the forwarding rules. Members
 * see the lists only.
 */
import { type FormEvent, Fragment, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { Time } from '../../components/time';
import { useSession } from '../../session';
import { Field, list, NameField } from './form';
import { ForwardingRules } from './forwarding';
import { DeleteButton, SettingsTable, ToggleButton } from './settings-table';
import { useRun } from './use-run';

interface Channel {
  id: string;
  type: string;
  name: string;
  config: Record<string, unknown>;
  enabled: boolean;
  createdAt: string;
}

interface Delivery {
  id: number;
  kind: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

interface FieldSpec {
  name: string;
  label: string;
  placeholder?: string;
  secret?: boolean;
  optional?: boolean;
  list?: boolean;
}

const TYPES: { type: string; label: string; fields: FieldSpec[] }[] = [
  {
    type: 'webhook',
    label: 'Webhook',
    fields: [
      { name: 'url', label: 'URL', placeholder: 'https://hooks.example.com/opstrails' },
      { name: 'secret', label: 'Signing secret', secret: true, optional: true },
    ],
  },
  {
    type: 'slack',
    label: 'Slack',
    fields: [
      {
        name: 'webhookUrl',
        label: 'Incoming webhook URL',
        placeholder: 'https://hooks.slack.com/services/…',
        secret: true,
      },
    ],
  },
  {
    type: 'email',
    label: 'Email',
    fields: [
      {
        name: 'recipients',
        label: 'Recipients (comma-separated; empty: owners and admins)',
        optional: true,
        list: true,
      },
    ],
  },
  {
    type: 'pagerduty',
    label: 'PagerDuty',
    fields: [{ name: 'routingKey', label: 'Integration (routing) key', secret: true }],
  },
  {
    type: 'opsgenie',
    label: 'Opsgenie',
    fields: [
      { name: 'apiKey', label: 'API key', secret: true },
      { name: 'region', label: 'Region (us or eu)', optional: true, placeholder: 'us' },
    ],
  },
  {
    type: 'google-chat',
    label: 'Google Chat',
    fields: [
      {
        name: 'webhookUrl',
        label: 'Space webhook URL',
        placeholder: 'https://chat.googleapis.com/v1/spaces/…',
        secret: true,
      },
    ],
  },
  {
    type: 'teams',
    label: 'Microsoft Teams',
    fields: [{ name: 'webhookUrl', label: 'Workflow webhook URL', secret: true }],
  },
  {
    type: 'grafana',
    label: 'Grafana annotations',
    fields: [
      { name: 'url', label: 'Grafana URL', placeholder: 'https://grafana.example.com' },
      { name: 'apiToken', label: 'Service account token', secret: true },
      { name: 'dashboardUid', label: 'Dashboard UID', optional: true },
    ],
  },
  {
    type: 'datadog',
    label: 'Datadog events',
    fields: [
      { name: 'site', label: 'Site', placeholder: 'datadoghq.com' },
      { name: 'apiKey', label: 'API key', secret: true },
    ],
  },
  {
    type: 'sentry',
    label: 'Sentry deploys',
    fields: [
      { name: 'organization', label: 'Organization slug' },
      { name: 'authToken', label: 'Auth token', secret: true },
      { name: 'url', label: 'Sentry URL', optional: true, placeholder: 'https://sentry.io' },
    ],
  },
];

const typeLabel = (type: string) => TYPES.find((t) => t.type === type)?.label ?? type;

function summary(c: Channel): string {
  return Object.entries(c.config)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join(' · ');
}

function DeliveryLog({ channelId }: { channelId: string }) {
  const [rows, setRows] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api<{ deliveries: Delivery[] }>(`/api/v1/channels/${encodeURIComponent(channelId)}/deliveries?limit=50`)
      .then((d) => setRows(d.deliveries))
      .catch(setError);
  }, [channelId]);
  return (
    <div className="delivery-log" data-testid="delivery-log">
      <ErrorNote error={error} />
      {rows && rows.length === 0 ? <p className="muted">Nothing sent to this channel yet.</p> : null}
      {rows && rows.length > 0 ? (
        <table className="list">
          <thead>
            <tr>
              <th>What</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Queued</th>
              <th>Last answer</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={d.id} data-testid="delivery-row">
                <td>{d.kind}</td>
                <td className={`delivery-${d.status}`}>{d.status}</td>
                <td>{d.attempts}</td>
                <td>
                  <Time iso={d.createdAt} relative />
                </td>
                <td className="wrap">{d.lastError ?? (d.deliveredAt ? 'delivered' : '')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

export function ChannelsSettings() {
  const { isAdmin } = useSession();
  const [channels, setChannels] = useState<Channel[] | null>(null);
  const [triage, setTriage] = useState<string[]>([]);
  const [type, setType] = useState('webhook');
  const [name, setName] = useState('');
  const [values, setValues] = useState<Record<string, string>>({});
  const [tested, setTested] = useState<Record<string, { delivered: boolean; message: string }>>({});
  const [open, setOpen] = useState<string | null>(null);
  const { run, error } = useRun((fail) => {
    api<{ channels: Channel[] }>('/api/v1/channels')
      .then((d) => setChannels(d.channels))
      .catch(fail);
    api<{ triageChannels: string[] }>('/api/v1/notifications/settings')
      .then((s) => setTriage(s.triageChannels))
      .catch(fail);
  });

  const spec = TYPES.find((t) => t.type === type) ?? (TYPES[0] as (typeof TYPES)[number]);
  const insecure = (values.url ?? '').startsWith('http://');

  const create = (event: FormEvent) => {
    event.preventDefault();
    const config: Record<string, unknown> = {};
    for (const f of spec.fields) {
      const v = (values[f.name] ?? '').trim();
      if (v === '') continue;
      config[f.name] = f.list ? list(v) : v;
    }
    return run(async () => {
      await api('/api/v1/channels', { method: 'POST', body: { type, name, config } });
      setName('');
      setValues({});
    });
  };

  const test = (c: Channel) =>
    run(async () => {
      const answer = await api<{ delivered: boolean; message: string }>(
        `/api/v1/channels/${encodeURIComponent(c.id)}/test`,
        { method: 'POST', body: {} },
      );
      setTested((t) => ({ ...t, [c.id]: answer }));
    });

  const toggleTriage = (id: string, on: boolean) =>
    run(() =>
      api('/api/v1/notifications/settings', {
        method: 'PUT',
        body: { triageChannels: on ? [...triage, id] : triage.filter((t) => t !== id) },
      }),
    );

  return (
    <div>
      <h2>Channels</h2>
      <p className="muted">
        Where OpsTrails tells people things: guardrail violations, an incident's likely causes (triage), quota
        warnings, and events forwarded by rules (Grafana annotations, Datadog and Sentry). Secrets are
        write-only.
      </p>
      {isAdmin ? (
        <form className="inline-form channel-form" onSubmit={create}>
          <Field label="Type" field="type" error={error}>
            <select
              name="channel-type"
              value={type}
              onChange={(e) => {
                setType(e.target.value);
                setValues({});
              }}
            >
              {TYPES.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </select>
          </Field>
          <NameField
            label="Name"
            name="channel-name"
            value={name}
            placeholder="e.g. Ops Slack"
            onChange={(e) => setName(e.target.value)}
            error={error}
          />
          {spec.fields.map((f) => (
            <Field label={f.label} key={f.name} field={`config.${f.name}`} error={error}>
              <input
                name={`config-${f.name}`}
                type={f.secret ? 'password' : 'text'}
                autoComplete="off"
                required={!f.optional}
                placeholder={f.placeholder}
                value={values[f.name] ?? ''}
                onChange={(e) => setValues((v) => ({ ...v, [f.name]: e.target.value }))}
              />
            </Field>
          ))}
          <button type="submit" className="btn btn-primary">
            Add channel
          </button>
          {insecure ? (
            <p className="callout warning" role="status">
              This URL is http: messages travel unencrypted. Use https unless the receiver is on your own
              network.
            </p>
          ) : null}
        </form>
      ) : (
        <p className="muted">Only owners and admins add or change channels.</p>
      )}
      <ErrorNote error={error} />
      <SettingsTable
        columns={['Name', 'Type', 'Settings', 'Status', 'Triage']}
        rows={channels}
        empty="No channels yet."
      >
        {(c, span) => {
          const url = `/api/v1/channels/${encodeURIComponent(c.id)}`;
          return (
            <Fragment key={c.id}>
              <tr data-testid="channel-row">
                <td>{c.name}</td>
                <td>{typeLabel(c.type)}</td>
                <td className="wrap muted">{summary(c)}</td>
                <td>{c.enabled ? 'enabled' : 'disabled'}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Incident triage to ${c.name}`}
                    checked={triage.includes(c.id)}
                    disabled={!isAdmin}
                    onChange={(e) => toggleTriage(c.id, e.target.checked)}
                  />
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className="btn btn-small btn-ghost"
                    onClick={() => setOpen(open === c.id ? null : c.id)}
                  >
                    {open === c.id ? 'Hide log' : 'Delivery log'}
                  </button>
                  {isAdmin ? (
                    <>
                      <button type="button" className="btn btn-small btn-ghost" onClick={() => test(c)}>
                        Send test
                      </button>
                      <ToggleButton url={url} enabled={c.enabled} run={run} />
                      <DeleteButton
                        url={url}
                        confirm="Its forwarding rules and delivery log go too."
                        run={run}
                      />
                    </>
                  ) : null}
                </td>
              </tr>
              {tested[c.id] ? (
                <tr>
                  <td
                    colSpan={span}
                    className={tested[c.id]?.delivered ? 'test-ok' : 'test-failed'}
                    data-testid="test-result"
                  >
                    {tested[c.id]?.delivered ? 'Test delivered: ' : 'Test not delivered: '}
                    {tested[c.id]?.message}
                  </td>
                </tr>
              ) : null}
              {open === c.id ? (
                <tr>
                  <td colSpan={span}>
                    <DeliveryLog channelId={c.id} />
                  </td>
                </tr>
              ) : null}
            </Fragment>
          );
        }}
      </SettingsTable>
      <ForwardingRules key={(channels ?? []).map((c) => c.id).join()} channels={channels ?? []} />
    </div>
  );
}
