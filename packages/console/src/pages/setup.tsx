/** First run: create the owner account and name the organization. Offered only while no user exists. */
import { useState } from 'react';
import { api, type SessionView } from '../api';
import { navigate } from '../router';
import { AuthCard, Field } from './auth-card';

export function SetupPage({ onDone }: { onDone(session: SessionView): void }) {
  const [form, setForm] = useState({ organization: '', name: '', email: '', password: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const session = await api<SessionView>('/api/v1/setup', { method: 'POST', body: form });
      navigate('/events', { replace: true });
      onDone(session);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <AuthCard
      title="Welcome! Let’s set up OpsTrails"
      intro="Create the owner account. You can invite your team afterwards; nobody else can sign up on their own."
      submit="Create owner account"
      busy={busy}
      error={error}
      onSubmit={submit}
    >
      <Field
        label="Organization name"
        name="organization"
        value={form.organization}
        onChange={set('organization')}
      />
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
        hint="At least 10 characters."
      />
    </AuthCard>
  );
}
