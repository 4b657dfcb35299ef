/**
 * Ends open live streams whose right to read is gone: a revoked key, a signed-out or expired
 * session, a removed member, a session switched to another organization. Other requests learn
 * of a revocation within a second (auth/key-verifier.ts caches answers for half a second;
 * sessions are looked up on every request), wherever it was made: the console, the CLI beside
 * the server, another instance. Streams get the same: every CHECK_MS one pass looks up the keys
 * and sessions behind all open streams at once (two queries, whatever the number of streams).
 */
import type { Store } from '../store/store.js';

/** What a stream was opened with: an API key or a console session, and the organization it reads. */
export interface StreamGrant {
  kind: 'key' | 'session';
  id: string;
  orgId: string;
}

const CHECK_MS = 500;

export class GrantWatch {
  private readonly streams = new Map<{ end(): void }, StreamGrant>();
  private readonly timer: NodeJS.Timeout;
  private checking = false;

  constructor(
    private readonly store: Store,
    private readonly onError: (error: unknown) => void,
    everyMs = CHECK_MS,
  ) {
    this.timer = setInterval(() => void this.check(), everyMs);
    this.timer.unref();
  }

  /** Ends `stream` once `grant` no longer allows it; returns the function that stops watching. */
  watch(stream: { end(): void }, grant: StreamGrant): () => void {
    this.streams.set(stream, grant);
    return () => this.streams.delete(stream);
  }

  private async check(): Promise<void> {
    if (this.checking || this.streams.size === 0) return;
    this.checking = true;
    try {
      // Streams opened while the lookup runs wait for the next pass: their grants are not in it.
      const checked = [...this.streams];
      const keyIds = new Set<string>();
      const sessionIds = new Set<string>();
      for (const [, grant] of checked) (grant.kind === 'key' ? keyIds : sessionIds).add(grant.id);
      const [keys, sessions] = await Promise.all([
        keyIds.size > 0 ? this.store.apiKeys.liveAmong([...keyIds]) : new Map<string, string>(),
        sessionIds.size > 0 ? this.store.sessions.liveAmong([...sessionIds]) : new Map<string, string>(),
      ]);
      for (const [stream, grant] of checked) {
        if (!this.streams.has(stream)) continue;
        const orgId = (grant.kind === 'key' ? keys : sessions).get(grant.id);
        if (orgId === grant.orgId) continue;
        this.streams.delete(stream);
        stream.end();
      }
    } catch (error) {
      this.onError(error);
    } finally {
      this.checking = false;
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.streams.clear();
  }
}
