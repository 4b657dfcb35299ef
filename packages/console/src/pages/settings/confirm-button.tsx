/** A destructive action that asks once, in place, before it runs. */
import { useState } from 'react';

export function ConfirmButton(props: { label: string; confirm: string; onConfirm(): Promise<void> | void }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking)
    return (
      <button type="button" className="btn btn-small btn-danger-ghost" onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  return (
    <span className="confirm">
      <span>{props.confirm}</span>
      <button
        type="button"
        className="btn btn-small btn-danger"
        disabled={busy}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        Yes, {props.label.toLowerCase()}
      </button>
      <button type="button" className="btn btn-small btn-ghost" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
