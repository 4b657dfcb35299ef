/**
 * The live feed over Server-Sent Events: each new event as the server stores it, reconnecting
 * with `Last-Event-ID` after a drop, so nothing is missed or repeated.
 */
import { createErrorFromResponse, NetworkError, OpsTrailsError } from './errors.js';
import { describe, parseEnvelope, sleep } from './http-helpers.js';
import { isRetryableStatus, parseRetryAfter } from './retry.js';
import { readSse } from './sse.js';
import type { EventQueryParams, StoredEvent } from './types.js';

/** Filters of the live feed (the list filters, without paging). */
export type TailFilters = Omit<EventQueryParams, 'limit' | 'cursor'>;

export interface TailOptions {
  /** Stops the feed. Breaking out of the loop stops it too. */
  signal?: AbortSignal;
  /** Resume after this feed id (as a previous run reported through `onEventId`). */
  lastEventId?: string;
  /** Told each time the feed is open (the server answered), first and after each reconnection. */
  onConnect?: () => void;
  /** Told each time the connection dropped and the feed is about to reconnect. */
  onReconnect?: (reason: OpsTrailsError) => void;
  /** Told the feed id of each event, to resume from later with `lastEventId`. */
  onEventId?: (id: string) => void;
}

/** A connection that sent nothing (not even the 15 s heartbeat) for this long is dead. */
const TAIL_IDLE_MS = 45_000;
const TAIL_RETRY_MS = 2_000;

/** Follows the feed at `url` until the signal aborts or the consumer stops; 4xx other than 429 ends it. */
export async function* followFeed(
  url: string,
  apiKey: string,
  connectTimeoutMs: number,
  options: TailOptions,
): AsyncGenerator<StoredEvent, void, undefined> {
  let lastEventId = options.lastEventId;
  let retryMs = TAIL_RETRY_MS;
  while (!options.signal?.aborted) {
    const controller = new AbortController();
    const stop = () => controller.abort();
    options.signal?.addEventListener('abort', stop);
    let idle = setTimeout(stop, connectTimeoutMs);
    const alive = () => {
      clearTimeout(idle);
      idle = setTimeout(stop, TAIL_IDLE_MS);
    };
    let reason: OpsTrailsError;
    try {
      const headers: Record<string, string> = {
        authorization: `Bearer ${apiKey}`,
        accept: 'text/event-stream',
      };
      if (lastEventId !== undefined) headers['last-event-id'] = lastEventId;
      const response = await fetch(url, { headers, signal: controller.signal });
      if (!response.ok || !response.body) {
        const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
        const error = createErrorFromResponse(
          parseEnvelope(await response.text()),
          response.status,
          retryAfterMs,
        );
        if (!isRetryableStatus(response.status)) throw error;
        reason = error;
        retryMs = retryAfterMs ?? retryMs;
      } else {
        alive();
        options.onConnect?.();
        for await (const message of readSse(response.body, alive)) {
          if (message.retry !== undefined) retryMs = message.retry;
          // The first message carries where the stream starts: a drop before any event resumes there.
          if (message.id !== undefined) lastEventId = message.id;
          if (message.event !== 'event') continue;
          if (message.id !== undefined) options.onEventId?.(message.id);
          yield JSON.parse(message.data) as StoredEvent;
        }
        reason = new NetworkError(`the live feed at ${url} closed`);
      }
    } catch (cause) {
      if (cause instanceof OpsTrailsError) throw cause;
      if (options.signal?.aborted) return;
      reason = new NetworkError(`the live feed at ${url} dropped: ${describe(cause)}`, cause);
    } finally {
      clearTimeout(idle);
      options.signal?.removeEventListener('abort', stop);
      controller.abort();
    }
    if (options.signal?.aborted) return;
    options.onReconnect?.(reason);
    await sleep(retryMs);
  }
}
