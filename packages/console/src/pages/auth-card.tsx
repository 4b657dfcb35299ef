/** The centred card that first-run setup, sign-in and invite pages share. */
import type { FormEvent, ReactNode } from 'react';
import { ErrorNote } from '../components/error-note';

export function AuthCard(props: {
  title: string;
  intro?: ReactNode;
  submit: string;
  busy: boolean;
  error: unknown;
  onSubmit(): void;
  children: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onSubmit();
  };
  return (
    <div className="auth">
      <form className="card auth-card" onSubmit={submit}>
        <div className="brand brand-large">
          <img src="/favicon.svg" alt="" width="28" height="28" />
          <span>OpsTrails</span>
        </div>
        <h1>{props.title}</h1>
        {props.intro ? <p className="muted">{props.intro}</p> : null}
        {props.children}
        <ErrorNote error={props.error} />
        <button type="submit" className="btn btn-primary btn-wide" disabled={props.busy}>
          {props.busy ? 'One moment…' : props.submit}
        </button>
      </form>
    </div>
  );
}

export function Field(props: {
  label: string;
  name: string;
  type?: string;
  value: string;
  onChange(value: string): void;
  autoComplete?: string;
  hint?: string;
}) {
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required
        autoComplete={props.autoComplete}
        onChange={(e) => props.onChange(e.target.value)}
      />
      {props.hint ? <small className="muted">{props.hint}</small> : null}
    </label>
  );
}
