/**
 * The OAuth consent page (`/oauth/consent?request=<id>`): an MCP client (Claude.ai, ChatGPT, an
 * editor) asked to read the timeline. The user signs in if needed, sees who is asking (the name,
 * the host that vouches for it, where the answer goes), what it may read, picks one of their
 * organizations and approves or denies. Either way the browser goes back to the client.
 */
import { type FormEvent, useEffect, useState } from 'react';
import { api, type SessionView } from '../api';
import { ErrorNote } from '../components/error-note';
import { LoginPage } from './login';

interface ConsentView {
  client: {
    name: string;
    kind: 'registered' | 'metadata-document';
    metadataDocument: string | null;
    documentHost: string | null;
    clientUri: string | null;
  };
  redirectUri: string;
  redirectHost: string;
  redirectIsLocal: boolean;
  access: string[];
  keyName: string;
  organizations: { id: string; name: string; slug: string; role: string }[];
  currentOrganizationId: string;
}

export function ConsentPage(props: { session: SessionView | null; onSignedIn(session: SessionView): void }) {
  if (!props.session) return <LoginPage onDone={props.onSignedIn} />;
  return <Consent />;
}

function Consent() {
  const requestId = new URLSearchParams(window.location.search).get('request') ?? '';
  const [view, setView] = useState<ConsentView | null>(null);
  const [orgId, setOrgId] = useState('');
  const [busy, setBusy] = useState<'approve' | 'deny' | 'leaving' | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<ConsentView>(`/api/v1/oauth/requests/${encodeURIComponent(requestId)}`)
      .then((loaded) => {
        setView(loaded);
        const current = loaded.organizations.find((o) => o.id === loaded.currentOrganizationId);
        setOrgId(current?.id ?? loaded.organizations[0]?.id ?? '');
      })
      .catch(setError);
  }, [requestId]);

  const answer = async (choice: 'approve' | 'deny') => {
    setBusy(choice);
    setError(null);
    try {
      const { redirectTo } = await api<{ redirectTo: string }>(
        `/api/v1/oauth/requests/${encodeURIComponent(requestId)}/${choice}`,
        { method: 'POST', body: choice === 'approve' ? { organizationId: orgId } : {} },
      );
      setBusy('leaving');
      window.location.assign(redirectTo);
    } catch (err) {
      setError(err);
      setBusy(null);
    }
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void answer('approve');
  };

  return (
    <div className="auth">
      <form className="card auth-card" onSubmit={submit}>
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>OpsTrails</span>
        </div>
        {view ? (
          <>
            <h1>Connect {view.client.name}</h1>
            <p className="muted">
              <strong>{view.client.name}</strong> asks for read-only access to an organization's timeline.
            </p>
            <div className="plain-list" data-testid="consent-client">
              <span>
                <span className="muted">Who is asking: </span>
                {view.client.documentHost ? (
                  <>
                    identified by its metadata document on <strong>{view.client.documentHost}</strong>
                  </>
                ) : (
                  'a client that registered itself with this server; its name is its own claim'
                )}
              </span>
              <span>
                <span className="muted">You go back to: </span>
                <strong>{view.redirectHost}</strong>
              </span>
            </div>
            {view.redirectIsLocal ? (
              <p className="callout warning" role="note">
                This client answers on this computer ({view.redirectHost}). Approve only if you just started
                connecting from an app on this machine.
              </p>
            ) : null}
            <span className="muted">It may:</span>
            <ul className="plain-list" data-testid="consent-access">
              {view.access.map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
            <label className="field">
              <span>Organization</span>
              <select name="organization" value={orgId} onChange={(e) => setOrgId(e.target.value)}>
                {view.organizations.map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name} ({o.role.toLowerCase()})
                  </option>
                ))}
              </select>
            </label>
            <p className="muted">
              Approving creates the read-only API key “{view.keyName}” in that organization. Revoke it in
              Settings → API keys to disconnect the client.
            </p>
          </>
        ) : (
          <h1>Connect an assistant</h1>
        )}
        <ErrorNote error={error} />
        {busy === 'leaving' ? <p className="muted">Returning you to {view?.client.name}…</p> : null}
        <button type="submit" className="btn btn-primary btn-wide" disabled={!view || busy !== null}>
          {busy === 'approve' ? 'One moment…' : 'Approve'}
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-wide"
          disabled={!view || busy !== null}
          onClick={() => void answer('deny')}
        >
          Deny
        </button>
      </form>
    </div>
  );
}
