/**
 * Settings → Account: deleting one's own account and, for an OWNER, the organization. Each asks
 * to type what goes (the email, the organization's name) so a slip of the mouse deletes nothing;
 * the server checks the same and says why it refuses (the last OWNER of a team, for one).
 */
import '../../components/danger-zone.css';
import { type FormEvent, useState } from 'react';
import { api, type SessionView } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { navigate } from '../../router';
import { useSession } from '../../session';

export function AccountSettings() {
  const { session, setSession } = useSession();
  const [orgName, setOrgName] = useState('');
  const [email, setEmail] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const deleteOrg = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const done = await api<{ session: SessionView | null }>(
        `/api/v1/organizations/${encodeURIComponent(session.organization.id)}`,
        { method: 'DELETE', body: { confirm: orgName } },
      );
      navigate(done.session ? '/events' : '/', { replace: true });
      setSession(done.session);
    });
  };

  const deleteAccount = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await api('/api/v1/account', { method: 'DELETE', body: { confirm: email } });
      navigate('/', { replace: true });
      setSession(null);
    });
  };

  return (
    <div>
      <h2>Account</h2>
      <p>
        Signed in as <strong>{session.user.email}</strong> ({session.role} of {session.organization.name}).
      </p>
      <ErrorNote error={error} />
      {session.role === 'OWNER' ? (
        <section className="danger-zone" aria-labelledby="delete-org-h">
          <h3 id="delete-org-h">Delete the organization {session.organization.name}</h3>
          <p className="muted">
            Its events, API keys, settings, invites and memberships are deleted for good. Export the events
            first if you need them (<code>opstrails export</code>).
          </p>
          <form className="inline-form" onSubmit={deleteOrg}>
            <label className="field">
              <span>Type the organization's name to confirm</span>
              <input
                name="confirm-org"
                value={orgName}
                required
                autoComplete="off"
                onChange={(e) => setOrgName(e.target.value)}
              />
            </label>
            <button
              type="submit"
              className="btn btn-danger"
              disabled={busy || orgName !== session.organization.name}
            >
              Delete organization
            </button>
          </form>
        </section>
      ) : null}
      <section className="danger-zone" aria-labelledby="delete-account-h">
        <h3 id="delete-account-h">Delete your account</h3>
        <p className="muted">
          You leave every organization; those only you belong to are deleted with their events. If you are the
          last OWNER of an organization others use, make one of them OWNER first.
        </p>
        <form className="inline-form" onSubmit={deleteAccount}>
          <label className="field">
            <span>Type your email to confirm</span>
            <input
              name="confirm-email"
              type="email"
              value={email}
              required
              autoComplete="off"
              onChange={(e) => setEmail(e.target.value)}
            />
          </label>
          <button type="submit" className="btn btn-danger" disabled={busy}>
            Delete my account
          </button>
        </form>
      </section>
    </div>
  );
}
