/**
 * What `opstrails mcp` forwards besides tools: resources (the organization's business context
 * and overview, the MCP Apps views), prompts and argument completion, and resource change
 * notices. Upstream the bridge listens once (`subscriptions/listen`, 2026-07-28) to the
 * organization's resources; each notice goes to the local client: a 2026-07-28 client gets it
 * on its own listen streams (the SDK's stdio router filters them), a 2025-era client only for
 * the URIs it asked for with `resources/subscribe`.
 */
import type { Client, McpSubscription } from '@modelcontextprotocol/client';
import type { Server } from '@modelcontextprotocol/server';

/** The upstream resources a client may subscribe to: the organization's, not the static ui:// views. */
const subscribable = (uri: string) => uri.startsWith('opstrails://');

export interface UpstreamNotices {
  /** Calls `listener` with the URI of every upstream resource change; returns the unsubscribe function. */
  onUpdated(listener: (uri: string) => void): () => void;
  close(): Promise<void>;
}

/** How long to wait before listening again after the server ended the stream (a restart, a deploy). */
const RELISTEN_MS = 2_000;

/**
 * Opens the upstream listen stream for the organization's resources (none to listen to: no
 * stream), and opens it again whenever the server ends it, until closed.
 */
export async function listenUpstream(
  upstream: Client,
  onError: (error: Error) => void,
): Promise<UpstreamNotices> {
  const listeners = new Set<(uri: string) => void>();
  upstream.setNotificationHandler('notifications/resources/updated', (notice) => {
    for (const listener of listeners) listener(notice.params.uri);
  });
  const { resources } = await upstream.listResources();
  const uris = resources.map((r) => r.uri).filter(subscribable);
  let closed = false;
  let failing = false;
  let subscription: McpSubscription | undefined;
  const open = async (): Promise<void> => {
    subscription = await upstream.listen({ resourceSubscriptions: uris });
    failing = false;
    void subscription.closed.then((how) => {
      if (how !== 'local') relisten();
    });
  };
  // Until the server answers again; its absence is reported once, not at every attempt.
  const relisten = () => {
    setTimeout(() => {
      if (closed) return;
      open().catch((error: Error) => {
        if (!failing) onError(new Error(`listening for resource changes: ${error.message}; retrying`));
        failing = true;
        relisten();
      });
    }, RELISTEN_MS).unref();
  };
  if (uris.length > 0 && upstream.getServerCapabilities()?.resources?.subscribe) await open();
  return {
    onUpdated(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: async () => {
      closed = true;
      await subscription?.close();
    },
  };
}

/** The capabilities the local server declares for what it forwards (besides tools). */
export function forwardedCapabilities(upstream: Client): Record<string, unknown> {
  const extensions = (
    upstream.getServerCapabilities() as { extensions?: Record<string, unknown> } | undefined
  )?.extensions;
  return {
    resources: { subscribe: true, listChanged: false },
    prompts: { listChanged: false },
    completions: {},
    ...(extensions ? { extensions } : {}),
  };
}

/** Forwards resources, prompts and completion to upstream, and its change notices to this local client. */
export function forwardResourcesAndPrompts(
  server: Server,
  upstream: Client,
  notices: UpstreamNotices,
  era: 'modern' | 'legacy',
): void {
  server.setRequestHandler('resources/list', async (request) => upstream.listResources(request.params));
  server.setRequestHandler('resources/templates/list', async (request) =>
    upstream.listResourceTemplates(request.params),
  );
  server.setRequestHandler('resources/read', async (request) => upstream.readResource(request.params));
  server.setRequestHandler('prompts/list', async (request) => upstream.listPrompts(request.params));
  server.setRequestHandler('prompts/get', async (request) => upstream.getPrompt(request.params));
  server.setRequestHandler('completion/complete', async (request) => upstream.complete(request.params));

  // 2025 era: notices for what the client subscribed to. 2026-07-28: every notice; the stdio
  // router delivers each to the listen streams that asked for its URI.
  const subscribed = new Set<string>();
  if (era === 'legacy') {
    server.setRequestHandler('resources/subscribe', async (request) => {
      subscribed.add(request.params.uri);
      return {};
    });
    server.setRequestHandler('resources/unsubscribe', async (request) => {
      subscribed.delete(request.params.uri);
      return {};
    });
  }
  const stop = notices.onUpdated((uri) => {
    if (era === 'legacy' && !subscribed.has(uri)) return;
    server.sendResourceUpdated({ uri }).catch(() => undefined);
  });
  const previous = server.onclose;
  server.onclose = () => {
    stop();
    previous?.();
  };
}
