/**
 * One open live stream: writes SSE frames to its response and tells its feed when the client
 * falls behind. Nothing is queued here: past PAUSE_BYTES of unsent output the feed stops
 * writing to it (the store keeps what it has not sent), and a client that reads nothing for
 * `stallMs` is dropped; it comes back with Last-Event-ID and misses nothing.
 */
import type { ServerResponse } from 'node:http';
import { LOG_START, type LogPosition } from '../store/event-log.js';
import { filterMatcher } from '../store/event-match.js';
import { type EventFilter, type EventRow, toStoredEvent } from '../store/events.js';

/** Output a stream may have waiting for its client before the feed pauses it. */
export const PAUSE_BYTES = 256 * 1024;

/** The SSE frame of one event; its id is the row number (see sse-id.ts). */
export const eventFrame = (row: EventRow): string =>
  `id: ${row.seq}\nevent: event\ndata: ${JSON.stringify(toStoredEvent(row))}\n\n`;

export class SseSubscriber {
  /** The client has been sent (or has skipped, as not matching) every row up to here. */
  pos: LogPosition = LOG_START;
  closed = false;
  /** The stream's filter, as the store applies it in SQL (event-match.ts). */
  readonly matches: (row: EventRow) => boolean;

  constructor(
    readonly orgId: string,
    readonly filter: EventFilter,
    private readonly res: ServerResponse,
    /** The Last-Event-ID the client resumed with, echoed in the "connected" line. */
    private readonly resumedFrom: string | undefined,
  ) {
    this.matches = filterMatcher(filter);
    res.on('close', () => {
      this.closed = true;
    });
  }

  /** Sends the response head and the "connected" line; its id lets a client that drops before any event resume from here. */
  begin(start: LogPosition, connectedId: string): void {
    this.pos = start;
    this.res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    this.res.write(`retry: 2000\nid: ${this.resumedFrom ?? connectedId}\n: connected\n\n`);
  }

  onClose(listener: () => void): void {
    this.res.on('close', listener);
  }

  send(frame: string | Buffer, pos: LogPosition): void {
    this.pos = pos;
    if (!this.closed) this.res.write(frame);
  }

  /** Holds writes until `uncork`, which sends them in one system call (a chunk of rows, not one call per row). */
  cork(): void {
    if (!this.closed) this.res.cork();
  }

  uncork(): void {
    if (this.res.writableCorked > 0) this.res.uncork();
  }

  /** True when the client has more than PAUSE_BYTES waiting: stop writing until it reads. */
  get congested(): boolean {
    return this.res.writableLength > PAUSE_BYTES;
  }

  ping(): void {
    if (!this.closed && !this.congested) this.res.write(': ping\n\n');
  }

  /**
   * Resolves true once the client has read its waiting output, false when the stream closed
   * meanwhile or stayed stalled for `stallMs` (then it is dropped).
   */
  drained(stallMs: number): Promise<boolean> {
    if (this.closed) return Promise.resolve(false);
    if (!this.congested) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (ok: boolean) => {
        clearTimeout(timer);
        this.res.off('drain', onDrain);
        this.res.off('close', onClose);
        resolve(ok);
      };
      const onDrain = () => done(true);
      const onClose = () => done(false);
      const timer = setTimeout(() => {
        this.drop();
        done(false);
      }, stallMs);
      this.res.on('drain', onDrain);
      this.res.on('close', onClose);
    });
  }

  /** Ends the stream cleanly (the client may reconnect and will be asked to authenticate again). */
  end(): void {
    if (this.closed) return;
    this.closed = true;
    this.res.end();
    // A client that reads nothing would hold the connection open on its unsent output.
    if (this.congested) this.res.destroy();
  }

  /** Cuts a stalled stream: its unsent output is discarded; the client resumes with Last-Event-ID. */
  drop(): void {
    this.closed = true;
    this.res.destroy();
  }
}
