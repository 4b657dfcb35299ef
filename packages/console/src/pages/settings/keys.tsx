/** API keys: create (shown once, with copy and a warning), list, revoke with confirmation. Admins only. */
import type { ApiKeyInfo, Scope } from '@opstrails/core';
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { CopyButton } from '../../components/copy-button';
import { ErrorNote } from '../../components/error-note';
import { Time } from '../../components/time';
import { useSession } from '../../session';
import { ConfirmButton } from './confirm-button';

export function KeysSettings() {
  const { isAdmin } = useSession();
  const [keys, setKeys] = useState<ApiKeyInfo[] | null>(null);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<Scope>('READ_WRITE');
  const [created, setCreated] = useState<{ key: string; info: ApiKeyInfo } | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    api<ApiKeyInfo[]>('/api/v1/keys').then(setKeys).catch(setError);
  }, []);
  useEffect(() => {
    if (isAdmin) load();
  }, [isAdmin, load]);

  if (!isAdmin) {
    return (
      <div>
        <h2>API keys</h2>
        <p className="muted">Only owners and admins manage API keys. Ask one of them for a key.</p>
      </div>
    );
  }

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setCreated(
        await api<{ key: string; info: ApiKeyInfo }>('/api/v1/keys', {
          method: 'POST',
          body: { name, scope },
        }),
      );
      setName('');
      load();
    } catch (err) {
      setError(err);
    }
  };

  const revoke = async (id: string) => {
    try {
      await api(`/api/v1/keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (created?.info.id === id) setCreated(null);
      load();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div>
      <h2>API keys</h2>
      <p className="muted">
        Keys let pipelines send events (READ_WRITE) or tools and AI assistants read them (READ_ONLY). ADMIN
        keys may also change configuration; keep them out of CI pipelines.
      </p>
      <form className="inline-form" onSubmit={create}>
        <label className="field">
          <span>Name</span>
          <input
            name="key-name"
            value={name}
            required
            maxLength={100}
            placeholder="e.g. GitHub Actions"
            onChange={(e) => setName(e.target.value)}
          />
        </label>
        <label className="field">
          <span>Scope</span>
          <select name="key-scope" value={scope} onChange={(e) => setScope(e.target.value as Scope)}>
            <option value="READ_WRITE">READ_WRITE: send and read events</option>
            <option value="READ_ONLY">READ_ONLY: read events, MCP</option>
            <option value="ADMIN">ADMIN: also change configuration (DORA settings, guardrails)</option>
          </select>
        </label>
        <button type="submit" className="btn btn-primary">
          Create key
        </button>
      </form>
      {created ? (
        <div className="callout warning" role="status">
          <strong>Copy this key now: it will not be shown again.</strong>
          <div className="code-block">
            <code className="secret" data-testid="new-key">
              {created.key}
            </code>
            <CopyButton text={created.key} />
          </div>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setCreated(null)}>
            I stored it safely
          </button>
        </div>
      ) : null}
      <ErrorNote error={error} />
      <div className="table-scroll">
        <table className="list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Prefix</th>
              <th>Scope</th>
              <th>Created</th>
              <th>Last used</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {(keys ?? []).map((key) => (
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
                  {key.lastUsedAt ? (
                    <Time iso={key.lastUsedAt} relative />
                  ) : (
                    <span className="muted">never</span>
                  )}
                </td>
                <td className="actions">
                  <ConfirmButton
                    label="Revoke"
                    confirm="Clients using it stop working at once."
                    onConfirm={() => revoke(key.id)}
                  />
                </td>
              </tr>
            ))}
            {keys && keys.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No keys yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
