/** What the guardrail settings share: the answers' shapes, time helpers, the channel picker, a row's buttons. */
import { DeleteButton, ToggleButton } from './settings-table';
import type { Run } from './use-run';

export interface Freeze {
  id: string;
  name: string;
  startsAt: string;
  endsAt: string;
  subjects: string[];
  sources: string[];
  types: string[];
  severities: string[];
  notificationChannels: string[];
  enabled: boolean;
  recurrence: { rrule: string; duration: string; timezone: string } | null;
  state: string;
  occurrences: { start: string; end: string }[];
}

export interface Policy {
  id: string;
  name: string;
  ruleType: string;
  config: Record<string, unknown>;
  subjects: string[];
  sources: string[];
  types: string[];
  notificationChannels: string[];
  enabled: boolean;
  summary: string;
}

export interface Channel {
  id: string;
  name: string;
}

export const DAY_MS = 86_400_000;
export const joined = (values: string[]) => values.join(', ');
/** `datetime-local` value (the browser's zone) of an ISO instant, and back. */
export const toLocalInput = (iso: string) => {
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};
export const fromLocalInput = (value: string) => (value ? new Date(value).toISOString() : '');

export function scope(g: { subjects: string[]; sources: string[]; types: string[] }): string {
  const parts = [
    g.sources.length ? `sources ${joined(g.sources)}` : '',
    g.subjects.length ? `subjects ${joined(g.subjects)}` : '',
    g.types.length ? `types ${joined(g.types)}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(' · ') : 'every guarded event';
}

export function ChannelPicker(props: {
  channels: Channel[];
  value: string[];
  onChange(ids: string[]): void;
}) {
  if (props.channels.length === 0)
    return <span className="muted">No channels yet (Settings → Channels).</span>;
  return (
    <span className="field">
      <span>Notify</span>
      {props.channels.map((c) => (
        <label key={c.id}>
          <input
            type="checkbox"
            checked={props.value.includes(c.id)}
            onChange={(e) =>
              props.onChange(
                e.target.checked ? [...props.value, c.id] : props.value.filter((x) => x !== c.id),
              )
            }
          />{' '}
          {c.name}
        </label>
      ))}
    </span>
  );
}

/** A freeze window's or policy's buttons (admins): Edit fills the form, Enable/Disable, Delete. */
export function GuardrailActions(props: { url: string; enabled: boolean; onEdit(): void; run: Run }) {
  return (
    <>
      <button type="button" className="btn btn-small btn-ghost" onClick={props.onEdit}>
        Edit
      </button>
      <ToggleButton url={props.url} enabled={props.enabled} run={props.run} />
      <DeleteButton url={props.url} confirm="Violations already recorded stay." run={props.run} />
    </>
  );
}
