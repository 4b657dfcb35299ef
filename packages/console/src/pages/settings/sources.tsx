/**
 * Sources: receivers for other tools' webhooks (GitHub, Argo CD, LaunchDarkly, PagerDuty, ...).
 * Create one (its URL and secret shown once, each with a copy button), rotate its secret, delete
 * it. Everyone sees the list; owners and admins change it.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api } from '../../api';
import { CopyButton } from '../../components/copy-button';
import { ErrorNote } from '../../components/error-note';
import { Time } from '../../components/time';
import { useSession } from '../../session';
import { ConfirmButton } from './confirm-button';

interface Receiver {
  id: string;
  kind: string;
  name: string;
  subject: string | null;
  source: string | null;
  url: string;
  createdAt: string;
}

const KINDS: Array<{ kind: string; label: string }> = [
  { kind: 'github', label: 'GitHub (deployments, releases, deploy workflows)' },
  { kind: 'gitlab', label: 'GitLab (deployments, releases)' },
  { kind: 'argocd', label: 'Argo CD (notifications template)' },
  { kind: 'flux', label: 'Flux (notification-controller)' },
  { kind: 'launchdarkly', label: 'LaunchDarkly (flag changes)' },
  { kind: 'unleash', label: 'Unleash (flag changes)' },
  { kind: 'flagsmith', label: 'Flagsmith (flag changes)' },
  { kind: 'posthog', label: 'PostHog (flag changes)' },
  { kind: 'pagerduty', label: 'PagerDuty (incidents)' },
  { kind: 'opsgenie', label: 'Opsgenie (incidents)' },
];

export function SourcesSettings() {
  const { isAdmin } = useSession();
  const [receivers, setReceivers] = useState<Receiver[] | null>(null);
  const [kind, setKind] = useState('github');
  const [name, setName] = useState('');
  const [subject, setSubject] = useState('');
  const [secret, setSecret] = useState('');
  const [shown, setShown] = useState<(Receiver & { secret: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(() => {
    api<{ receivers: Receiver[] }>('/api/v1/receivers')
      .then((r) => setReceivers(r.receivers))
      .catch(setError);
  }, []);
  useEffect(load, [load]);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      setShown(
        await api<Receiver & { secret: string }>('/api/v1/receivers', {
          method: 'POST',
          body: { kind, name, ...(subject ? { subject } : {}), ...(secret ? { secret } : {}) },
        }),
      );
      setName('');
      setSubject('');
      setSecret('');
      load();
    } catch (err) {
      setError(err);
    }
  };

  const rotate = async (id: string) => {
    setError(null);
    try {
      setShown(
        await api<Receiver & { secret: string }>(`/api/v1/receivers/${encodeURIComponent(id)}/rotate`, {
          method: 'POST',
          body: {},
        }),
      );
    } catch (err) {
      setError(err);
    }
  };

  const remove = async (id: string) => {
    setError(null);
    try {
      await api(`/api/v1/receivers/${encodeURIComponent(id)}`, { method: 'DELETE' });
      if (shown?.id === id) setShown(null);
      load();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div>
      <h2>Sources</h2>
      <p className="muted">
        Let other tools put their changes on the timeline without a pipeline step: each source has its own
        address and secret to paste into the tool's webhook settings. Setup per tool: docs/integrations.md.
      </p>
      {isAdmin ? (
        <form className="inline-form" onSubmit={create}>
          <label className="field">
            <span>Tool</span>
            <select name="receiver-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            <span>Name</span>
            <input
              name="receiver-name"
              value={name}
              required
              maxLength={100}
              placeholder="e.g. Production Argo CD"
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="field">
            <span>Environment when the tool names none</span>
            <input
              name="receiver-subject"
              value={subject}
              maxLength={50}
              placeholder="e.g. PRODUCTION"
              onChange={(e) => setSubject(e.target.value)}
            />
          </label>
          <label className="field">
            <span>Secret the tool made (PagerDuty), else leave empty</span>
            <input
              name="receiver-secret"
              value={secret}
              autoComplete="off"
              onChange={(e) => setSecret(e.target.value)}
            />
          </label>
          <button type="submit" className="btn btn-primary">
            Create source
          </button>
        </form>
      ) : (
        <p className="muted">Only owners and admins add or change sources.</p>
      )}
      {shown ? (
        <div className="callout warning" role="status">
          <strong>Paste both into {shown.kind} now: the secret will not be shown again.</strong>
          <div className="code-block">
            <code data-testid="receiver-url">{shown.url}</code>
            <CopyButton text={shown.url} />
          </div>
          <div className="code-block">
            <code className="secret" data-testid="receiver-secret">
              {shown.secret}
            </code>
            <CopyButton text={shown.secret} />
          </div>
          <button type="button" className="btn btn-small btn-ghost" onClick={() => setShown(null)}>
            Done
          </button>
        </div>
      ) : null}
      <ErrorNote error={error} />
      <div className="table-scroll">
        <table className="list">
          <thead>
            <tr>
              <th>Name</th>
              <th>Tool</th>
              <th>URL</th>
              <th>Environment</th>
              <th>Created</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {(receivers ?? []).map((r) => (
              <tr key={r.id} data-testid="receiver-row">
                <td>{r.name}</td>
                <td>{r.kind}</td>
                <td title={r.url}>
                  <code>
                    …/{r.kind}/{r.id.slice(0, 10)}…
                  </code>{' '}
                  <CopyButton text={r.url} label="Copy URL" />
                </td>
                <td>{r.subject ?? <span className="muted">from the payload</span>}</td>
                <td>
                  <Time iso={r.createdAt} />
                </td>
                <td className="actions">
                  {isAdmin ? (
                    <>
                      <ConfirmButton
                        label="Rotate secret"
                        confirm="The tool's deliveries fail until you paste the new secret."
                        onConfirm={() => rotate(r.id)}
                      />
                      <ConfirmButton
                        label="Delete"
                        confirm="The tool's deliveries are refused from now on."
                        onConfirm={() => remove(r.id)}
                      />
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
            {receivers && receivers.length === 0 ? (
              <tr>
                <td colSpan={6} className="muted">
                  No sources yet.
                </td>
              </tr>
            ) : null}
          </tbody>
        </table>
      </div>
    </div>
  );
}
