/**
 * The settings lists: a table with a header row and an actions column (one card per row on a
 * phone, see `.list` in styles.css), the line said when it is empty, and the buttons most rows
 * share (enable/disable, delete with confirmation).
 */
import type { ReactNode } from 'react';
import { api } from '../../api';
import { ConfirmButton } from './confirm-button';
import type { Run } from './use-run';

export function SettingsTable<T>(props: {
  /** The headers; the actions column is added after them. */
  columns: string[];
  /** null while loading: nothing is said yet. */
  rows: T[] | null;
  empty: string;
  /** A row (or a row and the rows it opens); `span` is the width of a row across every column. */
  children(row: T, span: number): ReactNode;
}) {
  const span = props.columns.length + 1;
  return (
    <div className="table-scroll">
      <table className="list">
        <thead>
          <tr>
            {props.columns.map((c) => (
              <th key={c}>{c}</th>
            ))}
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {(props.rows ?? []).map((row) => props.children(row, span))}
          {props.rows && props.rows.length === 0 ? (
            <tr>
              <td colSpan={span} className="muted">
                {props.empty}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

/** Enable/Disable: PATCHes `enabled` on the thing at `url`. */
export function ToggleButton(props: { url: string; enabled: boolean; run: Run }) {
  return (
    <button
      type="button"
      className="btn btn-small btn-ghost"
      onClick={() => props.run(() => api(props.url, { method: 'PATCH', body: { enabled: !props.enabled } }))}
    >
      {props.enabled ? 'Disable' : 'Enable'}
    </button>
  );
}

/** Delete, after saying once what follows (`confirm`). */
export function DeleteButton(props: { url: string; confirm: string; run: Run }) {
  return (
    <ConfirmButton
      label="Delete"
      confirm={props.confirm}
      onConfirm={() => props.run(() => api(props.url, { method: 'DELETE' }))}
    />
  );
}
