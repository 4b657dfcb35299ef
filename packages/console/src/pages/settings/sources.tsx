/**
 * Sources: receivers for other tools' webhooks (GitHub, Argo CD, LaunchDarkly, PagerDuty, ...).
 * Create one (its URL and secret shown once, each with a copy button), rotate its secret, delete
 * it. Everyone sees the list; owners and admins change it.
 */
import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { CopyButton } from '../../components/copy-button';
import { ErrorNote } from '../../components/error-note';
import { Time } from '../../components/time';
import { useSession } from '../../session';
import { ConfirmButton } from './confirm-button';
import { Field, NameField } from './form';
import { DeleteButton, SettingsTable } from './settings-table';
import { ShownOnce } from './shown-once';
import { useRun } from './use-run';

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
  const { run, error } = useRun((fail) => {
    api<{ receivers: Receiver[] }>('/api/v1/receivers')
      .then((r) => setReceivers(r.receivers))
      .catch(fail);
  });

  const create = (event: FormEvent) => {
    event.preventDefault();
    return run(async () => {
      setShown(
        await api<Receiver & { secret: string }>('/api/v1/receivers', {
          method: 'POST',
          body: { kind, name, ...(subject ? { subject } : {}), ...(secret ? { secret } : {}) },
        }),
      );
      setName('');
      setSubject('');
      setSecret('');
    });
  };

  const rotate = (id: string) =>
    run(async () =>
      setShown(
        await api<Receiver & { secret: string }>(`/api/v1/receivers/${encodeURIComponent(id)}/rotate`, {
          method: 'POST',
          body: {},
        }),
      ),
    );

  // The secret box of a source just deleted goes with it.
  const deleting =
    (id: string): typeof run =>
    (action) =>
      run(async () => {
        await action();
        setShown((s) => (s?.id === id ? null : s));
      });

  return (
    <div>
      <h2>Sources</h2>
      <p className="muted">
        Let other tools put their changes on the timeline without a pipeline step: each source has its own
        address and secret to paste into the tool's webhook settings. Setup per tool: docs/integrations.md.
      </p>
      {isAdmin ? (
        <form className="inline-form" onSubmit={create}>
          <Field label="Tool" field="kind" error={error}>
            <select name="receiver-kind" value={kind} onChange={(e) => setKind(e.target.value)}>
              {KINDS.map((k) => (
                <option key={k.kind} value={k.kind}>
                  {k.label}
                </option>
              ))}
            </select>
          </Field>
          <NameField
            label="Name"
            name="receiver-name"
            value={name}
            placeholder="e.g. Production Argo CD"
            onChange={(e) => setName(e.target.value)}
            error={error}
          />
          <Field label="Environment when the tool names none" field="subject" error={error}>
            <input
              name="receiver-subject"
              value={subject}
              maxLength={50}
              placeholder="e.g. PRODUCTION"
              onChange={(e) => setSubject(e.target.value)}
            />
          </Field>
          <Field label="Secret the tool made (PagerDuty), else leave empty" field="secret" error={error}>
            <input
              name="receiver-secret"
              value={secret}
              autoComplete="off"
              onChange={(e) => setSecret(e.target.value)}
            />
          </Field>
          <button type="submit" className="btn btn-primary">
            Create source
          </button>
        </form>
      ) : (
        <p className="muted">Only owners and admins add or change sources.</p>
      )}
      {shown ? (
        <ShownOnce
          warning={`Paste both into ${shown.kind} now: the secret will not be shown again.`}
          values={[
            { text: shown.url, testId: 'receiver-url' },
            { text: shown.secret, testId: 'receiver-secret', secret: true },
          ]}
          done="Done"
          onDone={() => setShown(null)}
        />
      ) : null}
      <ErrorNote error={error} />
      <SettingsTable
        columns={['Name', 'Tool', 'URL', 'Environment', 'Created']}
        rows={receivers}
        empty="No sources yet."
      >
        {(r) => (
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
                  <DeleteButton
                    url={`/api/v1/receivers/${encodeURIComponent(r.id)}`}
                    confirm="The tool's deliveries are refused from now on."
                    run={deleting(r.id)}
                  />
                </>
              ) : null}
            </td>
          </tr>
        )}
      </SettingsTable>
    </div>
  );
}
