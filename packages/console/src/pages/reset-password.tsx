/**
 * `/reset-password`: with a link's token (`#<token>`), shows whose password it sets and takes
 * the new one; without, a signed-out user asks for a link by mail (when the server has mail)
 * or learns whom to ask. A link that was used, expired or is not valid says which, and offers
 * sign-in and a new link.
 */
import './reset-password.css';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { ApiFailure, api, type SessionView } from '../api';
import { ErrorNote } from '../components/error-note';
import { Link } from '../components/link';
import { navigate } from '../router';
import { AuthCard, Field } from './auth-card';

const subscribeHash = (listener: () => void) => {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
};

export function ResetPasswordPage({ onDone }: { onDone(session: SessionView | null): void }) {
  // A link opened in the tab already showing this page changes only the fragment: follow it.
  const token = useSyncExternalStore(subscribeHash, () => window.location.hash.slice(1));
  return token ? <SetPassword key={token} token={token} onDone={onDone} /> : <RequestLink />;
}

function SetPassword({ token, onDone }: { token: string; onDone(session: SessionView | null): void }) {
  const [target, setTarget] = useState<{ email: string } | null>(null);
  const [unusable, setUnusable] = useState<unknown>(null);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<{ email: string }>('/api/v1/password-reset/peek', { method: 'POST', body: { token } })
      .then(setTarget)
      .catch(setUnusable);
  }, [token]);

  if (unusable) return <Unusable error={unusable} />;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const done = await api<{ session: SessionView | null }>('/api/v1/password-reset', {
        method: 'POST',
        body: { token, password },
      });
      navigate(done.session ? '/events' : '/', { replace: true });
      onDone(done.session);
    } catch (err) {
      // A link used or expired meanwhile cannot succeed on a retry: show the dead-end card.
      if (err instanceof ApiFailure && err.status === 404) setUnusable(err);
      else setError(err);
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title="Set a new password"
      intro={
        target
          ? `For ${target.email}. Setting it signs this account out everywhere else.`
          : 'Checking the link…'
      }
      submit="Set password and sign in"
      busy={busy || !target}
      error={error}
      onSubmit={submit}
    >
      <input
        type="email"
        name="username"
        value={target?.email ?? ''}
        autoComplete="username"
        readOnly
        hidden
      />
      <Field
        label="New password"
        name="password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="new-password"
        hint="At least 10 characters."
      />
    </AuthCard>
  );
}

/** The dead end of a link that cannot be used: why (the server's words), sign-in, and a way to a new link. */
export function Unusable({ title = 'This link cannot be used', error }: { title?: string; error: unknown }) {
  return (
    <div className="auth">
      <div className="card auth-card" data-testid="link-unusable">
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>OpsTrails</span>
        </div>
        <h1>{title}</h1>
        <ErrorNote error={error} />
        <p>
          <Link to="/" className="btn btn-primary btn-wide">
            Sign in
          </Link>
        </p>
        <p className="muted">
          Forgot the password?{' '}
          <Link to="/reset-password" className="inline-link">
            Ask for a new link
          </Link>
        </p>
      </div>
    </div>
  );
}

function RequestLink() {
  const [mail, setMail] = useState<boolean | null>(null);
  const [email, setEmail] = useState('');
  const [sent, setSent] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    api<{ mail: boolean }>('/api/v1/password-reset')
      .then((r) => setMail(r.mail))
      .catch((err) => {
        setMail(true);
        setError(err);
      });
  }, []);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api<{ message: string }>('/api/v1/password-reset/request', {
        method: 'POST',
        body: { email },
      });
      setSent(answer.message);
    } catch (err) {
      setError(err);
    }
    setBusy(false);
  };

  if (mail === false)
    return (
      <div className="auth">
        <div className="card auth-card">
          <h1>Forgot your password?</h1>
          <p>
            This server sends no mail. Ask an OWNER or ADMIN of your organization for a reset link (Settings →
            Members), or whoever runs the server: <code>opstrails users reset-password &lt;email&gt;</code>.
          </p>
          <p>
            <Link to="/">Back to sign-in</Link>
          </p>
        </div>
      </div>
    );

  return (
    <AuthCard
      title="Forgot your password?"
      intro={sent ?? 'Give your email; if an account uses it, a link to set a new password is mailed to it.'}
      submit={sent ? 'Send again' : 'Mail me a link'}
      busy={busy || mail === null}
      error={error}
      onSubmit={submit}
    >
      <Field
        label="Email"
        name="email"
        type="email"
        value={email}
        onChange={setEmail}
        autoComplete="username"
      />
      <p className="muted">
        <Link to="/">Back to sign-in</Link>
      </p>
    </AuthCard>
  );
}
