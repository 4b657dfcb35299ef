/**
 * Settings → Audit log: who did what, when, to which target (keys, members, invites, deletions,
 * settings, password resets), newest first, a page at a time. OWNERs and ADMINs only.
 */
import { useCallback, useEffect, useState } from 'react';
import { api, queryString } from '../../api';
import { ErrorNote } from '../../components/error-note';
import { Time } from '../../components/time';
import { useSession } from '../../session';

interface Entry {
  id: string;
  at: string;
  actor: { type: 'user' | 'key' | 'cli'; id: string | null; label: string | null };
  action: string;
  target: { type: string; id: string | null; label: string | null } | null;
  details: Record<string, unknown> | null;
  address: string | null;
}

const ACTOR_KIND = { user: '', key: 'API key ', cli: '' } as const;

export function AuditSettings() {
  const { isAdmin } = useSession();
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (cursor?: string) => {
    try {
      const page = await api<{ entries: Entry[]; nextCursor: string | null }>(
        `/api/v1/audit${queryString({ limit: '50', cursor })}`,
      );
      setEntries((shown) => (cursor ? [...shown, ...page.entries] : page.entries));
      setNext(page.nextCursor);
    } catch (err) {
      setError(err);
    }
    setLoaded(true);
  }, []);

  useEffect(() => {
    if (isAdmin) void load();
  }, [isAdmin, load]);

  if (!isAdmin)
    return (
      <div>
        <h2>Audit log</h2>
        <p className="muted">Only OWNERs and ADMINs can read the audit log.</p>
      </div>
    );
  return (
    <div>
      <h2>Audit log</h2>
      <p className="muted">
        Admin actions in this organization: keys, members, invites, deletions, settings and password resets.
      </p>
      <ErrorNote error={error} />
      {loaded && entries.length === 0 && !error ? <p className="muted">Nothing recorded yet.</p> : null}
      {entries.length > 0 ? (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a wide table scrolls sideways; a keyboard must reach what is off-screen (axe: scrollable-region-focusable).
        <section className="table-scroll" aria-label="Audit log entries" tabIndex={0}>
          <table className="list" data-testid="audit-table">
            <thead>
              <tr>
                <th>When</th>
                <th>Who</th>
                <th>Action</th>
                <th>Target</th>
                <th>Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => (
                <tr key={e.id} data-testid="audit-row">
                  <td>
                    <Time iso={e.at} />
                  </td>
                  <td>
                    {ACTOR_KIND[e.actor.type]}
                    {e.actor.label ?? e.actor.id ?? e.actor.type}
                  </td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.target ? (e.target.label ?? e.target.id ?? e.target.type) : ''}</td>
                  <td className="muted">
                    {e.details
                      ? Object.entries(e.details)
                          .map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`)
                          .join(', ')
                      : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {next ? (
        <button type="button" className="btn" onClick={() => void load(next)}>
          Load older entries
        </button>
      ) : null}
    </div>
  );
}
