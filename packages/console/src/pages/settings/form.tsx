/**
 * The settings forms' shared pieces: a labelled field that also shows the server's problem with
 * it (a 400 names each field: `name: is required; config.url: must be https`), and the parser
 * of the comma-separated lists the forms take.
 */
import { type ChangeEventHandler, cloneElement, type ReactElement, useId } from 'react';
import { ApiFailure } from '../../api';

/** "a, b ,, c" → ["a", "b", "c"]. */
export const list = (text: string) =>
  text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** The part of a failed call's message that names `field` ("name: is required"), if any. */
export function fieldProblem(error: unknown, field: string): string | null {
  if (!(error instanceof ApiFailure) || error.code !== 'VALIDATION_ERROR') return null;
  return error.message.split('; ').find((part) => part.startsWith(`${field}: `)) ?? null;
}

/**
 * `<label className="field">`: the label over its one control. Given the page's error and the
 * request field the control fills, a problem the server found with it shows under the control,
 * which is marked invalid and described by it. The problem text is left out of the label's name
 * (aria-hidden) so the control keeps its name; screen readers hear it as the description.
 */
export function Field(props: {
  label: string;
  children: ReactElement<{ id?: string; 'aria-invalid'?: boolean; 'aria-describedby'?: string }>;
  /** The request field the control fills, as the server names it (`name`, `config.url`). */
  field?: string;
  error?: unknown;
}) {
  const ids = useId();
  const control = props.children.props.id ?? `${ids}-control`;
  const problem = props.field ? fieldProblem(props.error, props.field) : null;
  return (
    <label className="field" htmlFor={control}>
      <span>{props.label}</span>
      {cloneElement(
        props.children,
        problem
          ? { id: control, 'aria-invalid': true, 'aria-describedby': `${ids}-problem` }
          : { id: control },
      )}
      {problem ? (
        <span id={`${ids}-problem`} className="field-problem" aria-hidden="true" data-testid="field-problem">
          {problem}
        </span>
      ) : null}
    </label>
  );
}

/** The name every settings thing has: required, at most 100 characters (the server's limit). */
export function NameField(props: {
  label: string;
  /** The input's form name (`key-name`): what tests and password managers find it by. */
  name: string;
  value: string;
  onChange: ChangeEventHandler<HTMLInputElement>;
  placeholder?: string;
  error: unknown;
}) {
  return (
    <Field label={props.label} field="name" error={props.error}>
      <input
        name={props.name}
        value={props.value}
        required
        maxLength={100}
        placeholder={props.placeholder}
        onChange={props.onChange}
      />
    </Field>
  );
}
