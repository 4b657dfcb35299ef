/**
 * Forwarding rules: every stored event matching a rule's filters is sent to its channel (a Grafana
 * annotation per production deploy, a Slack message, a PagerDuty change event). Filters are
 * comma-separated lists; empty matches everything.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { useSession } from '../../session';
import { Field, list, NameField } from './form';
import { DeleteButton, SettingsTable, ToggleButton } from './settings-table';
import { useRun } from './use-run';

interface Rule {
  id: string;
  name: string;
  channelId: string;
  types: string[];
  sources: string[];
  subjects: string[];
  severities: string[];
  enabled: boolean;
}

const FILTERS = [
  ['types', 'Types', 'deployment'],
  ['sources', 'Sources', 'any'],
  ['subjects', 'Subjects', 'PRODUCTION'],
  ['severities', 'Severities', 'any'],
] as const;

export function ForwardingRules({ channels }: { channels: { id: string; name: string }[] }) {
  const { isAdmin } = useSession();
  const [rules, setRules] = useState<Rule[] | null>(null);
  const [name, setName] = useState('');
  const [channelId, setChannelId] = useState('');
  const [filters, setFilters] = useState<Record<string, string>>({});
  const { run, error } = useRun((fail) => {
    api<{ rules: Rule[] }>('/api/v1/forwarding')
      .then((d) => setRules(d.rules))
      .catch(fail);
  });
  const create = (event: FormEvent) => {
    event.preventDefault();
    const body: Record<string, unknown> = { name, channelId: channelId || channels[0]?.id };
    for (const [key] of FILTERS) body[key] = list(filters[key] ?? '');
    return run(async () => {
      await api('/api/v1/forwarding', { method: 'POST', body });
      setName('');
      setFilters({});
    });
  };
  const channelName = (id: string) => channels.find((c) => c.id === id)?.name ?? id;
  const shown = (values: string[]) => (values.length > 0 ? values.join(', ') : 'any');

  return (
    <div className="forwarding">
      <h3>Forwarding rules</h3>
      <p className="muted">Every stored event that matches goes to the channel (empty filters match all).</p>
      {isAdmin && channels.length > 0 ? (
        <form className="inline-form" onSubmit={create}>
          <NameField
            label="Rule name"
            name="rule-name"
            value={name}
            placeholder="e.g. Prod deploys to Grafana"
            onChange={(e) => setName(e.target.value)}
            error={error}
          />
          <Field label="To channel" field="channelId" error={error}>
            <select
              name="rule-channel"
              value={channelId || channels[0]?.id}
              onChange={(e) => setChannelId(e.target.value)}
            >
              {channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </Field>
          {FILTERS.map(([key, label, placeholder]) => (
            <Field label={label} key={key} field={key} error={error}>
              <input
                name={`rule-${key}`}
                value={filters[key] ?? ''}
                placeholder={placeholder}
                onChange={(e) => setFilters((f) => ({ ...f, [key]: e.target.value }))}
              />
            </Field>
          ))}
          <button type="submit" className="btn btn-primary">
            Add rule
          </button>
        </form>
      ) : null}
      <ErrorNote error={error} />
      <SettingsTable
        columns={['Rule', 'Channel', 'Matches', 'Status']}
        rows={rules}
        empty="No forwarding rules."
      >
        {(r) => {
          const url = `/api/v1/forwarding/${encodeURIComponent(r.id)}`;
          return (
            <tr key={r.id} data-testid="rule-row">
              <td>{r.name}</td>
              <td className="wrap">{channelName(r.channelId)}</td>
              <td className="wrap">
                types {shown(r.types)} · sources {shown(r.sources)} · subjects {shown(r.subjects)} ·
                severities {shown(r.severities)}
              </td>
              <td>{r.enabled ? 'enabled' : 'disabled'}</td>
              <td className="actions">
                {isAdmin ? (
                  <>
                    <ToggleButton url={url} enabled={r.enabled} run={run} />
                    <DeleteButton url={url} confirm="Matching events stop going to the channel." run={run} />
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
