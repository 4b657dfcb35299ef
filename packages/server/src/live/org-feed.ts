/**
 * One organization's live feed on this instance: a single reader of the event log that hands
 * each new row to every stream whose filter matches it. It reads once per wake-up (the live
 * bus: a commit here, or a NOTIFY from another instance) and once per poll, whatever the
 * number of streams.
 *
 * Every stream has a log position (sse-subscriber.ts). A stream that starts behind the feed
 * (a client resuming with an old Last-Event-ID, or one paused because it stopped reading)
 * catches up on its own, reading its range of the log in chunks at the pace its client reads.
 * When it is near the end it joins: inside the feed's read loop, so the feed cannot move
 * meanwhile, it reads the rest of its range up to now and is added to the fan-out. From then
 * on the feed hands it every row after its position, so it gets no gap and no duplicate.
 * That holds because the log reader only returns rows no running transaction can precede
 * (store/event-log.ts): everything the feed has read was already readable when the joiner read.
 */
import { comparePositions, type LogPosition, positionOf } from '../store/event-log.js';
import type { EventRow } from '../store/events.js';
import type { Store } from '../store/store.js';
import type { LiveBus } from './bus.js';
import { eventFrame, type SseSubscriber } from './sse-subscriber.js';

export interface FeedOptions {
  /** The poll that backs up wake-ups. */
  pollMs: number;
  /** Rows per read of the feed. */
  chunk: number;
  /** Rows per read of a stream catching up. */
  replayChunk: number;
  /** A paused stream whose client reads nothing for this long is dropped. */
  stallMs: number;
  /** Runs a catch-up read, a few at a time per instance, so replays leave the store to the rest. */
  replayGate: <T>(read: () => Promise<T>) => Promise<T>;
  onError: (error: unknown) => void;
}

/**
 * On PostgreSQL a wake-up can come before its row is readable (an older transaction is still
 * running); the feed then reads again after RETRY_MS, for up to one poll interval.
 */
const RETRY_MS = 50;
/** Row numbers recently read, to tell a wake-up for a row already handed out from one not readable yet. */
const RECENT_MAX = 4_096;
/** Streams written between two chances for other requests to run. */
const FANOUT_SLICE = 200;

/**
 * Lets pending I/O run. On SQLite a read completes without leaving the microtask queue, so a
 * loop of reads would otherwise hold the event loop (every other request) until it ends.
 */
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class OrgFeed {
  /** Every row up to here has been handed out; null until the log's head is known. */
  private pos: LogPosition | null = null;
  private starting: Promise<LogPosition> | null = null;
  /** Streams in the fan-out. */
  private readonly live = new Set<SseSubscriber>();
  /** Streams done catching up, waiting to join inside the read loop. */
  private joining: SseSubscriber[] = [];
  /** Every stream of this feed, wherever it stands. */
  readonly members = new Set<SseSubscriber>();
  private running = false;
  private again = false;
  private stopped = false;
  private readonly awaited = new Set<number>();
  private awaitedSince = 0;
  private readonly recent = new Set<number>();
  private retry: NodeJS.Timeout | null = null;
  private readonly unsubscribe: () => void;
  private readonly poll: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    readonly orgId: string,
    bus: LiveBus,
    private readonly options: FeedOptions,
  ) {
    this.unsubscribe = bus.subscribe(orgId, (seq) => this.wakeFor(seq));
    this.poll = setInterval(() => this.wake(), options.pollMs);
    this.poll.unref();
  }

  /** Where the feed stands; the first call reads the log's head. */
  async position(): Promise<LogPosition> {
    if (this.pos) return this.pos;
    this.starting ??= this.store.log.head().then(
      (head) => {
        this.pos ??= head;
        // Rows committed while the head was read are after it: fetch them now, not at the next poll.
        queueMicrotask(() => this.wake());
        return this.pos;
      },
      (error) => {
        this.starting = null;
        throw error;
      },
    );
    return this.starting;
  }

  /**
   * Starts `sub` at `start`, or where the feed stands now when the client asked for nothing
   * older. Synchronous once `position()` has resolved: the "connected" line is written before
   * any event can be.
   */
  attach(sub: SseSubscriber, start: LogPosition | undefined, connectedId: (at: LogPosition) => string): void {
    const at = this.pos as LogPosition;
    const from = start ?? at;
    sub.begin(from, connectedId(from));
    if (comparePositions(from, at) >= 0) this.live.add(sub);
    else void this.catchUp(sub);
  }

  /** Forgets `sub`; true when the feed has no stream left. */
  leave(sub: SseSubscriber): boolean {
    this.members.delete(sub);
    this.live.delete(sub);
    this.joining = this.joining.filter((s) => s !== sub);
    return this.members.size === 0;
  }

  stop(): void {
    this.stopped = true;
    this.unsubscribe();
    clearInterval(this.poll);
    if (this.retry) clearTimeout(this.retry);
  }

  private wakeFor(seq: number): void {
    if (!this.recent.has(seq) && this.awaited.size < RECENT_MAX) {
      if (this.awaited.size === 0) this.awaitedSince = Date.now();
      this.awaited.add(seq);
    }
    this.wake();
  }

  private wake(): void {
    if (this.stopped || this.pos === null) return;
    if (this.running) {
      this.again = true;
      return;
    }
    void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        for (const sub of this.joining.splice(0)) {
          await this.admit(sub).catch((error) => {
            this.options.onError(error);
            sub.end();
          });
        }
        await this.readNew();
      } while (this.again && !this.stopped);
    } catch (error) {
      this.options.onError(error);
    } finally {
      this.running = false;
    }
    this.retryIfAwaited();
  }

  /** Reads the organization's new rows and hands each to the streams it matches. */
  private async readNew(): Promise<void> {
    for (;;) {
      const rows = await this.store.log.read(this.pos as LogPosition, this.options.chunk, {
        orgId: this.orgId,
      });
      if (rows.length > 0) await this.fanOut(rows);
      if (rows.length < this.options.chunk || this.stopped) return;
      await turn();
    }
  }

  /**
   * Hands `rows` to every stream in the fan-out, stream by stream (each gets its rows in one
   * write), letting other requests run between slices of streams. The feed's position moves to
   * the last row first: a stream that starts meanwhile starts after these rows.
   */
  private async fanOut(rows: EventRow[]): Promise<void> {
    const positions = rows.map(positionOf);
    this.pos = positions[positions.length - 1] as LogPosition;
    for (const pos of positions) this.remember(pos.seq);
    // Encoded once for every stream it goes to.
    const frames: Buffer[] = [];
    const targets = [...this.live];
    for (let i = 0; i < targets.length; i++) {
      if (i > 0 && i % FANOUT_SLICE === 0) await turn();
      const sub = targets[i] as SseSubscriber;
      if (!this.live.has(sub)) continue;
      sub.cork();
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r] as EventRow;
        const pos = positions[r] as LogPosition;
        if (comparePositions(pos, sub.pos) <= 0) continue;
        if (!sub.matches(row)) {
          sub.pos = pos;
          continue;
        }
        frames[r] ??= Buffer.from(eventFrame(row));
        sub.send(frames[r] as Buffer, pos);
        if (sub.congested) {
          this.pause(sub);
          break;
        }
      }
      sub.uncork();
    }
  }

  /** Takes a stream whose client stopped reading out of the fan-out; it catches up from the store once it reads again. */
  private pause(sub: SseSubscriber): void {
    this.live.delete(sub);
    void sub.drained(this.options.stallMs).then((ok) => {
      if (ok && !this.stopped) void this.catchUp(sub);
    });
  }

  /** Replays a stream's range of the log at its client's pace, then queues it to join. */
  private async catchUp(sub: SseSubscriber): Promise<void> {
    const { replayChunk, stallMs, replayGate } = this.options;
    try {
      for (;;) {
        // On the slow-read connections (SQLite reader threads, PostgreSQL's second pool): a replay
        // from the start holds neither the event loop nor the connections short requests need.
        const rows = await replayGate(() =>
          this.store.log.read(
            sub.pos,
            replayChunk,
            { orgId: this.orgId, filter: sub.filter },
            this.store.readDb,
          ),
        );
        sub.cork();
        for (const row of rows) {
          sub.send(eventFrame(row), positionOf(row));
          if (sub.congested) {
            sub.uncork();
            if (!(await sub.drained(stallMs))) return;
            sub.cork();
          }
        }
        sub.uncork();
        if (sub.closed) return;
        if (rows.length < replayChunk) break;
        await turn();
      }
    } catch (error) {
      this.options.onError(error);
      sub.end();
      return;
    }
    if (sub.closed || this.stopped) return;
    this.joining.push(sub);
    this.wake();
  }

  /**
   * Joins a stream that caught up: reads the rest of its range inside the read loop (the feed's
   * position is fixed meanwhile), then adds it to the fan-out.
   */
  private async admit(sub: SseSubscriber): Promise<void> {
    const { chunk } = this.options;
    for (;;) {
      if (sub.closed) return;
      const rows = await this.store.log.read(sub.pos, chunk, { orgId: this.orgId, filter: sub.filter });
      sub.cork();
      for (const row of rows) sub.send(eventFrame(row), positionOf(row));
      sub.uncork();
      if (rows.length < chunk) break;
      await turn();
    }
    if (sub.closed) return;
    // The read covered every matching row up to the feed's position: skip the rest of that range.
    const at = this.pos as LogPosition;
    if (comparePositions(at, sub.pos) > 0) sub.pos = at;
    if (sub.congested) this.pause(sub);
    else this.live.add(sub);
  }

  private remember(seq: number): void {
    this.awaited.delete(seq);
    this.recent.add(seq);
    if (this.recent.size > RECENT_MAX) this.recent.delete(this.recent.values().next().value as number);
  }

  private retryIfAwaited(): void {
    if (this.awaited.size === 0 || this.stopped || this.retry) return;
    if (Date.now() - this.awaitedSince > this.options.pollMs) {
      this.awaited.clear();
      return;
    }
    this.retry = setTimeout(() => {
      this.retry = null;
      this.wake();
    }, RETRY_MS);
    this.retry.unref();
  }
}
