/**
 * Accepting an invite link (`/invite#<token>`): shows where it leads, then creates the account
 * or joins with an existing one. A link that was used, expired or is not valid says which and
 * offers sign-in (someone who already joined just signs in).
 */
import { useEffect, useState } from 'react';
import { api, type SessionView } from '../api';
import { navigate } from '../router';
import { AuthCard, Field } from './auth-card';
import { Unusable } from './reset-password';

export function InvitePage({ onDone }: { onDone(session: SessionView): void }) {
  const token = window.location.hash.slice(1);
  const [target, setTarget] = useState<{ organization: string; role: string } | null>(null);
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [unusable, setUnusable] = useState<unknown>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });

  useEffect(() => {
    api<{ organization: string; role: string }>('/api/v1/invites/peek', { method: 'POST', body: { token } })
      .then(setTarget)
      .catch(setUnusable);
  }, [token]);

  if (unusable) return <Unusable title="This invite link cannot be used" error={unusable} />;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const session = await api<SessionView>('/api/v1/invites/accept', {
        method: 'POST',
        body: { token, ...form },
      });
      navigate('/events', { replace: true });
      onDone(session);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title={target ? `Join ${target.organization}` : 'Join an organization'}
      intro={
        target
          ? `You are invited as ${target.role}. New here? Pick a password. Already have an account? Use its email and password.`
          : undefined
      }
      submit="Join"
      busy={busy || !target}
      error={error}
      onSubmit={submit}
    >
      <Field label="Your name" name="name" value={form.name} onChange={set('name')} autoComplete="name" />
      <Field
        label="Email"
        name="email"
        type="email"
        value={form.email}
        onChange={set('email')}
        autoComplete="email"
      />
      <Field
        label="Password"
        name="password"
        type="password"
        value={form.password}
        onChange={set('password')}
        autoComplete="new-password"
        hint="At least 10 characters for a new account."
      />
    </AuthCard>
  );
}
