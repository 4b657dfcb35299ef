/** Sign in with email and password. */
import { useState } from 'react';
import { api, type SessionView } from '../api';
import { Link } from '../components/link';
import { AuthCard, Field } from './auth-card';

export function LoginPage({ onDone }: { onDone(session: SessionView): void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      onDone(await api<SessionView>('/api/v1/session', { method: 'POST', body: { email, password } }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <AuthCard title="Sign in" submit="Sign in" busy={busy} error={error} onSubmit={submit}>
      <Field
        label="Email"
        name="email"
        type="email"
        value={email}
        onChange={setEmail}
        autoComplete="username"
      />
      <Field
        label="Password"
        name="password"
        type="password"
        value={password}
        onChange={setPassword}
        autoComplete="current-password"
      />
      <p className="muted">
        <Link to="/reset-password">Forgot your password?</Link>
      </p>
    </AuthCard>
  );
}
