/** Change freeze windows: the calendar strip (four weeks, the browser's zone), the list, and the form admins add and edit with. */
import { type FormEvent, useState } from 'react';
import { api } from '../../api';
import { Field, list, NameField } from './form';
import {
  type Channel,
  ChannelPicker,
  DAY_MS,
  type Freeze,
  fromLocalInput,
  GuardrailActions,
  joined,
  scope,
  toLocalInput,
} from './guardrail-shared';
import { SettingsTable } from './settings-table';
import { type Run, useFormRun } from './use-run';

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
      {days.map((d, i) => (
        <span key={d.getTime()} className={i % 7 === 0 ? 'strip-day week-start' : 'strip-day'}>
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
  const submitted = useFormRun(props.run);
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
    return submitted.run(async () => {
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
          <NameField
            label="Name"
            name="freeze-name"
            value={form.name}
            placeholder="Holiday Freeze"
            onChange={set('name')}
            error={submitted.error}
          />
          <Field label="Starts" field="startsAt" error={submitted.error}>
            <input
              name="freeze-starts"
              type="datetime-local"
              required
              value={form.startsAt}
              onChange={set('startsAt')}
            />
          </Field>
          <Field label="Ends" field="endsAt" error={submitted.error}>
            <input
              name="freeze-ends"
              type="datetime-local"
              required
              value={form.endsAt}
              onChange={set('endsAt')}
            />
          </Field>
          <Field label="Subjects (empty: all)" field="subjects" error={submitted.error}>
            <input
              name="freeze-subjects"
              value={form.subjects}
              onChange={set('subjects')}
              placeholder="PRODUCTION"
            />
          </Field>
          <Field label="Sources (empty: all)" field="sources" error={submitted.error}>
            <input name="freeze-sources" value={form.sources} onChange={set('sources')} />
          </Field>
          <Field label="Repeats (RRULE, optional)" field="recurrence.rrule" error={submitted.error}>
            <input
              name="freeze-rrule"
              value={form.rrule}
              onChange={set('rrule')}
              placeholder="FREQ=WEEKLY;BYDAY=FR;BYHOUR=16"
            />
          </Field>
          {form.rrule ? (
            <>
              <Field label="Each lasts (ISO 8601)" field="recurrence.duration" error={submitted.error}>
                <input
                  name="freeze-duration"
                  required
                  value={form.duration}
                  onChange={set('duration')}
                  placeholder="PT64H"
                />
              </Field>
              <Field label="In time zone" field="recurrence.timezone" error={submitted.error}>
                <input
                  name="freeze-timezone"
                  required
                  value={form.timezone}
                  onChange={set('timezone')}
                  placeholder="Europe/Berlin"
                />
              </Field>
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
      <SettingsTable
        columns={['Name', 'When', 'Applies to', 'State']}
        rows={props.freezes}
        empty="No freeze windows."
      >
        {(f) => {
          const url = `/api/v1/guardrails/freezes/${encodeURIComponent(f.id)}`;
          return (
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
                  <GuardrailActions url={url} enabled={f.enabled} onEdit={() => edit(f)} run={props.run} />
                ) : null}
              </td>
            </tr>
          );
        }}
      </SettingsTable>
    </section>
  );
}
