/** Change freeze windows: the calendar strip (four weeks, the browser's zone), the list, and the form admins add and edit with. */
import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { ConfirmButton } from './confirm-button';
import {
  type Channel,
  ChannelPicker,
  DAY_MS,
  type Freeze,
  fromLocalInput,
  joined,
  list,
  type Run,
  scope,
  toLocalInput,
} from './guardrail-shared';

function CalendarStrip({ freezes }: { freezes: Freeze[] }) {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const days = Array.from({ length: 28 }, (_, i) => new Date(start.getTime() + i * DAY_MS));
  return (
    <div
      className="strip"
      data-testid="calendar-strip"
      role="img"
      aria-label="Freeze windows over the next four weeks"
    >
      <span />
      {days.map((d) => (
        <span key={d.getTime()} className="strip-day">
          {d.getDate()}
        </span>
      ))}
      {freezes.map((f) => (
        <div key={f.id} style={{ display: 'contents' }}>
          <span className="strip-name">{f.name}</span>
          {days.map((d, i) => {
            const from = d.getTime();
            const frozen =
              f.enabled &&
              f.occurrences.some((o) => Date.parse(o.start) < from + DAY_MS && Date.parse(o.end) > from);
            return (
              <span
                key={from}
                className={`strip-cell${frozen ? ' frozen' : ''}${i === 0 ? ' today' : ''}`}
                data-testid={frozen ? 'strip-frozen' : undefined}
                title={`${f.name}, ${d.toDateString()}: ${frozen ? 'frozen' : 'open'}`}
              />
            );
          })}
        </div>
      ))}
    </div>
  );
}

const EMPTY_FREEZE = {
  name: '',
  startsAt: '',
  endsAt: '',
  subjects: '',
  sources: '',
  rrule: '',
  duration: '',
  timezone: '',
};

export function FreezeSection(props: { freezes: Freeze[]; channels: Channel[]; isAdmin: boolean; run: Run }) {
  const [form, setForm] = useState(EMPTY_FREEZE);
  const [notify, setNotify] = useState<string[]>([]);
  const [editing, setEditing] = useState<string | null>(null);
  const set = (k: keyof typeof EMPTY_FREEZE) => (e: { target: { value: string } }) =>
    setForm((f) => ({ ...f, [k]: e.target.value }));

  const edit = (f: Freeze) => {
    setEditing(f.id);
    setNotify(f.notificationChannels);
    setForm({
      name: f.name,
      startsAt: toLocalInput(f.startsAt),
      endsAt: toLocalInput(f.endsAt),
      subjects: joined(f.subjects),
      sources: joined(f.sources),
      rrule: f.recurrence?.rrule ?? '',
      duration: f.recurrence?.duration ?? '',
      timezone: f.recurrence?.timezone ?? '',
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = {
      name: form.name,
      startsAt: fromLocalInput(form.startsAt),
      endsAt: fromLocalInput(form.endsAt),
      subjects: list(form.subjects),
      sources: list(form.sources),
      notificationChannels: notify,
      recurrence: form.rrule ? { rrule: form.rrule, duration: form.duration, timezone: form.timezone } : null,
    };
    return props.run(async () => {
      await api(
        editing ? `/api/v1/guardrails/freezes/${encodeURIComponent(editing)}` : '/api/v1/guardrails/freezes',
        {
          method: editing ? 'PATCH' : 'POST',
          body,
        },
      );
      setForm(EMPTY_FREEZE);
      setNotify([]);
      setEditing(null);
    });
  };

  return (
    <section>
      <h3>Change freeze windows</h3>
      <CalendarStrip freezes={props.freezes} />
      {props.isAdmin ? (
        <form className="inline-form guardrail-form" onSubmit={submit} aria-label="Freeze window">
          <label className="field">
            <span>Name</span>
            <input
              name="freeze-name"
              required
              maxLength={100}
              value={form.name}
              onChange={set('name')}
              placeholder="Holiday Freeze"
            />
          </label>
          <label className="field">
            <span>Starts</span>
            <input
              name="freeze-starts"
              type="datetime-local"
              required
              value={form.startsAt}
              onChange={set('startsAt')}
            />
          </label>
          <label className="field">
            <span>Ends</span>
            <input
              name="freeze-ends"
              type="datetime-local"
              required
              value={form.endsAt}
              onChange={set('endsAt')}
            />
          </label>
          <label className="field">
            <span>Subjects (empty: all)</span>
            <input
              name="freeze-subjects"
              value={form.subjects}
              onChange={set('subjects')}
              placeholder="PRODUCTION"
            />
          </label>
          <label className="field">
            <span>Sources (empty: all)</span>
            <input name="freeze-sources" value={form.sources} onChange={set('sources')} />
          </label>
          <label className="field">
            <span>Repeats (RRULE, optional)</span>
            <input
              name="freeze-rrule"
              value={form.rrule}
              onChange={set('rrule')}
              placeholder="FREQ=WEEKLY;BYDAY=FR;BYHOUR=16"
            />
          </label>
          {form.rrule ? (
            <>
              <label className="field">
                <span>Each lasts (ISO 8601)</span>
                <input
                  name="freeze-duration"
                  required
                  value={form.duration}
                  onChange={set('duration')}
                  placeholder="PT64H"
                />
              </label>
              <label className="field">
                <span>In time zone</span>
                <input
                  name="freeze-timezone"
                  required
                  value={form.timezone}
                  onChange={set('timezone')}
                  placeholder="Europe/Berlin"
                />
              </label>
            </>
          ) : null}
          <ChannelPicker channels={props.channels} value={notify} onChange={setNotify} />
          <button type="submit" className="btn btn-primary">
            {editing ? 'Save window' : 'Add window'}
          </button>
          {editing ? (
            <button
              type="button"
              className="btn btn-ghost"
              onClick={() => {
                setEditing(null);
                setForm(EMPTY_FREEZE);
              }}
            >
              Cancel
            </button>
          ) : null}
        </form>
      ) : null}
      <table className="list">
        <thead>
          <tr>
            <th>Name</th>
            <th>When</th>
            <th>Applies to</th>
            <th>State</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {props.freezes.map((f) => (
            <tr key={f.id} data-testid="freeze-row">
              <td>{f.name}</td>
              <td className="wrap">
                {new Date(f.startsAt).toLocaleString()} – {new Date(f.endsAt).toLocaleString()}
                {f.recurrence
                  ? ` · repeats ${f.recurrence.rrule} for ${f.recurrence.duration} (${f.recurrence.timezone})`
                  : ''}
              </td>
              <td className="wrap muted">{scope(f)}</td>
              <td className={`state-${f.state}`}>{f.enabled ? f.state : 'disabled'}</td>
              <td className="actions">
                {props.isAdmin ? (
                  <>
                    <button type="button" className="btn btn-small btn-ghost" onClick={() => edit(f)}>
                      Edit
                    </button>
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      onClick={() =>
                        props.run(() =>
                          api(`/api/v1/guardrails/freezes/${encodeURIComponent(f.id)}`, {
                            method: 'PATCH',
                            body: { enabled: !f.enabled },
                          }),
                        )
                      }
                    >
                      {f.enabled ? 'Disable' : 'Enable'}
                    </button>
                    <ConfirmButton
                      label="Delete"
                      confirm="Violations already recorded stay."
                      onConfirm={() =>
                        props.run(() =>
                          api(`/api/v1/guardrails/freezes/${encodeURIComponent(f.id)}`, { method: 'DELETE' }),
                        )
                      }
                    />
                  </>
                ) : null}
              </td>
            </tr>
          ))}
          {props.freezes.length === 0 ? (
            <tr>
              <td colSpan={5} className="muted">
                No freeze windows.
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}
