/** API keys: create (shown once, with copy and a warning), list, revoke with confirmation. Admins only. */
import type { ApiKeyInfo, Scope } from '@opstrails/core';
import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { Time } from '../../components/time';
import { useSession } from '../../session';
import { ConfirmButton } from './confirm-button';
import { Field, NameField } from './form';
import { SettingsTable } from './settings-table';
import { ShownOnce } from './shown-once';
import { useRun } from './use-run';

export function KeysSettings() {
  const { isAdmin } = useSession();
  const [keys, setKeys] = useState<ApiKeyInfo[] | null>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('READ_WRITE');
  const [created, setCreated] = useState<{ key: string; info: ApiKeyInfo } | null>(null);
  const { run, error } = useRun((fail) => {
    if (isAdmin) api<ApiKeyInfo[]>('/api/v1/keys').then(setKeys).catch(fail);
  });

  if (!isAdmin) {
    return (
      <div>
        <h2>API keys</h2>
        <p className="muted">Only owners and admins manage API keys. Ask one of them for a key.</p>
      </div>
    );
  }

  const create = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      setCreated(
        await api<{ key: string; info: ApiKeyInfo }>('/api/v1/keys', {
          method: 'POST',
          body: { name, scope },
        }),
      );
      setName('');
    });
  };

  const revoke = (id: string) =>
    run(async () => {
      await api(`/api/v1/keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
      setCreated((c) => (c?.info.id === id ? null : c));
    });

  return (
    <div>
      <h2>API keys</h2>
      <p className="muted">
        Keys let pipelines send events (READ_WRITE) or tools and AI assistants read them (READ_ONLY). ADMIN
        keys may also change configuration; keep them out of CI pipelines.
      </p>
      <form className="inline-form" onSubmit={create}>
        <NameField
          label="Name"
          name="key-name"
          value={name}
          placeholder="e.g. GitHub Actions"
          onChange={(e) => setName(e.target.value)}
          error={error}
        />
        <Field label="Scope" field="scope" error={error}>
          <select name="key-scope" value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
            <option value="READ_WRITE">READ_WRITE: send and read events</option>
            <option value="READ_ONLY">READ_ONLY: read events, MCP</option>
            <option value="ADMIN">ADMIN: also change configuration (DORA settings, guardrails)</option>
          </select>
        </Field>
        <button type="submit" className="btn btn-primary">
          Create key
        </button>
      </form>
      {created ? (
        <ShownOnce
          warning="Copy this key now: it will not be shown again."
          values={[{ text: created.key, testId: 'new-key', secret: true }]}
          done="I stored it safely"
          onDone={() => setCreated(null)}
        />
      ) : null}
      <ErrorNote error={error} />
      <SettingsTable
        columns={['Name', 'Prefix', 'Scope', 'Created', 'Last used']}
        rows={keys}
        empty="No keys yet."
      >
        {(key) => (
          <tr key={key.id} data-testid="key-row">
            <td>{key.name}</td>
            <td>
              <code>{key.prefix}…</code>
            </td>
            <td>{key.scope}</td>
            <td>
              <Time iso={key.createdAt} />
            </td>
            <td>
              {key.lastUsedAt ? <Time iso={key.lastUsedAt} relative /> : <span className="muted">never</span>}
            </td>
            <td className="actions">
              <ConfirmButton
                label="Revoke"
                confirm="Clients using it stop working at once."
                onConfirm={() => revoke(key.id)}
              />
            </td>
          </tr>
        )}
      </SettingsTable>
    </div>
  );
}
