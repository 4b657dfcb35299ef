/** A live-feed client for tests: opens GET /api/v1/events/stream over real HTTP and records what arrives. */
import type { StoredEvent } from '@opstrails/core';

export interface Delivery {
  /** The SSE id (the row number). */
  sseId: string;
  event: StoredEvent;
}

export class SseClient {
  readonly deliveries: Delivery[] = [];
  /** The id of the "connected" line. */
  connectedId: string | undefined;
  /** Every SSE id seen, the "connected" line's included: what a browser would resume with. */
  lastId: string | undefined;
  /** Everything received that is not an event (comments such as heartbeats). */
  comments: string[] = [];
  ended = false;
  readonly done: Promise<void>;
  private readonly controller = new AbortController();
  private waiters: (() => void)[] = [];

  private constructor(readonly response: Response) {
    this.done = this.read();
  }

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: controller.signal,
    });
    if (response.status !== 200)
      throw new Error(`stream answered ${response.status}: ${await response.text()}`);
    const client = new SseClient(response);
    client.controller.signal.addEventListener('abort', () => controller.abort());
    // The "connected" line comes once the stream is in its feed: events sent after it reach it.
    await client.until(() => client.connectedId !== undefined, 30_000, 'the connected line');
    return client;
  }

  get ids(): string[] {
    return this.deliveries.map((d) => d.event.id);
  }

  private async read(): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let id: string | undefined;
    let event = 'message';
    let data: string | undefined;
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end = buffer.indexOf('\n');
        while (end !== -1) {
          const line = buffer.slice(0, end);
          buffer = buffer.slice(end + 1);
          end = buffer.indexOf('\n');
          if (line === '') {
            if (event === 'event' && data !== undefined)
              this.deliveries.push({ sseId: id ?? '', event: JSON.parse(data) as StoredEvent });
            event = 'message';
            data = undefined;
            continue;
          }
          if (line.startsWith(':')) {
            if (line !== ': connected') this.comments.push(line);
            continue;
          }
          const colon = line.indexOf(':');
          const field = line.slice(0, colon);
          const value = line.slice(colon + 2);
          if (field === 'id') {
            id = value;
            this.lastId = value;
            this.connectedId ??= value;
          } else if (field === 'event') event = value;
          else if (field === 'data') data = value;
        }
        for (const wake of this.waiters.splice(0)) wake();
      }
    } catch {
      // aborted or cut: `ended` says so
    }
    this.ended = true;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** Resolves once `done()` holds (checked as data arrives); rejects after `timeoutMs`. */
  async until(done: () => boolean, timeoutMs = 30_000, what = 'the expected events'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!done()) {
      if (this.ended && !done())
        throw new Error(`stream ended before ${what} (${this.deliveries.length} events)`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what} (${this.deliveries.length} events)`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 500));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.controller.abort();
  }
}
