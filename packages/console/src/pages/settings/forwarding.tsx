/**
 * Forwarding rules: every stored event matching a rule's filters is sent to its channel (a Grafana
 * annotation per production deploy, a Slack message, a PagerDuty change event). Filters are
 * comma-separated lists; empty matches everything.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { useSession } from '../../session';
import { ConfirmButton } from './confirm-button';

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

const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

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
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    api<{ rules: Rule[] }>('/api/v1/forwarding')
      .then((d) => setRules(d.rules))
      .catch(setError);
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
          <label className="field">
            <span>Rule name</span>
            <input
              name="rule-name"
              value={name}
              required
              maxLength={100}
              placeholder="e.g. Prod deploys to Grafana"
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="field">
            <span>To channel</span>
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
          </label>
          {FILTERS.map(([key, label, placeholder]) => (
            <label className="field" key={key}>
              <span>{label}</span>
              <input
                name={`rule-${key}`}
                value={filters[key] ?? ''}
                placeholder={placeholder}
                onChange={(e) => setFilters((f) => ({ ...f, [key]: e.target.value }))}
              />
            </label>
          ))}
          <button type="submit" className="btn btn-primary">
            Add rule
          </button>
        </form>
      ) : null}
      <ErrorNote error={error} />
      <div className="table-scroll">
        <table className="list">
          <thead>
            <tr>
              <th>Rule</th>
              <th>Channel</th>
              <th>Matches</th>
              <th>Status</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {(rules ?? []).map((r) => (
              <tr key={r.id} data-testid="rule-row">
                <td>{r.name}</td>
                <td>{channelName(r.channelId)}</td>
                <td className="wrap">
                  types {shown(r.types)} · sources {shown(r.sources)} · subjects {shown(r.subjects)} ·
                  severities {shown(r.severities)}
                </td>
                <td>{r.enabled ? 'enabled' : 'disabled'}</td>
                <td className="actions">
                  {isAdmin ? (
                    <>
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        onClick={() =>
                          run(() =>
                            api(`/api/v1/forwarding/${encodeURIComponent(r.id)}`, {
                              method: 'PATCH',
                              body: { enabled: !r.enabled },
                            }),
                          )
                        }
                      >
                        {r.enabled ? 'Disable' : 'Enable'}
                      </button>
                      <ConfirmButton
                        label="Delete"
                        confirm="Matching events stop going to the channel."
                        onConfirm={() =>
                          run(() =>
                            api(`/api/v1/forwarding/${encodeURIComponent(r.id)}`, { method: 'DELETE' }),
                          )
                        }
                      />
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
            {rules && rules.length === 0 ? (
              <tr>
                <td colSpan={5} className="muted">
                  No forwarding rules.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
