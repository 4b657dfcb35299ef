/**
 * The empty state of the feed: everything a new user needs to see their first event arrive,
 * on screen: a key (created right here for admins) and the curl command with this server's URL.
 * On the feed it stays (the key is shown once) until dismissed, also after the first event arrived.
 */
import type { ApiKeyInfo } from '@opstrails/core';
import { useState } from 'react';
import { api } from '../api';
import { useSession } from '../session';
import { CopyButton } from './copy-button';
import { ErrorNote } from './error-note';

export function curlCommand(key: string): string {
  const event = {
    specversion: '1.0',
    type: 'deployment',
    source: 'BE',
    subject: 'PRODUCTION',
    version: 'v1.0.0',
    severity: 'MINOR',
    time: 'NOW',
    data: { description: 'My first OpsTrails event' },
  };
  return [
    `curl -X POST ${window.location.origin}/api/v1/events \\`,
    `  -H "Authorization: Bearer ${key}" \\`,
    '  -H "Content-Type: application/json" \\',
    `  -d '${JSON.stringify(event)}'`,
  ].join('\n');
}

export function FirstEvent({
  onDismiss,
  arrived = false,
}: {
  onDismiss?: () => void;
  arrived?: boolean;
} = {}) {
  const { session, isAdmin } = useSession();
  const [key, setKey] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const createKey = async () => {
    setBusy(true);
    setError(null);
    try {
      const created = await api<{ key: string; info: ApiKeyInfo }>('/api/v1/keys', {
        method: 'POST',
        body: { name: 'first key (console)', scope: 'READ_WRITE' },
      });
      setKey(created.key);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const command = curlCommand(key ?? '$OPSTRAILS_API_KEY');
  return (
    <section className="empty-state" aria-label="Send your first event">
      <div className="empty-state-head">
        <h2>{arrived ? 'Your first event arrived ✓' : 'Waiting for your first event'}</h2>
        {onDismiss ? (
          <button type="button" className="btn btn-ghost btn-small" onClick={onDismiss}>
            Dismiss
          </button>
        ) : null}
      </div>
      <p>
        This feed is live: anything sent to <strong>{session.organization.name}</strong> appears here within a
        second, no reload needed.
      </p>
      <ol className="steps">
        <li>
          {key ? (
            <>
              <span>Your new key (shown once; it is already in the command below):</span>
              <code className="secret" data-testid="first-key">
                {key}
              </code>
            </>
          ) : isAdmin ? (
            <>
              <span>Create an API key that can send events: </span>
              <button type="button" className="btn btn-primary" onClick={createKey} disabled={busy}>
                {busy ? 'Creating…' : 'Create a key'}
              </button>
            </>
          ) : (
            <span>Ask an owner or admin of this organization for a READ_WRITE API key.</span>
          )}
        </li>
        <li>
          <span>Run this in a terminal:</span>
          <div className="code-block">
            <pre data-testid="curl-command">{command}</pre>
            <CopyButton text={command} />
          </div>
        </li>
        <li>Watch it appear here.</li>
      </ol>
      <ErrorNote error={error} />
    </section>
  );
}
