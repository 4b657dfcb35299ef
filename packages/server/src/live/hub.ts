/**
 * The live feed of this instance: one OrgFeed (one reader) per organization with open
 * streams, a heartbeat for every stream, and a gate that lets only a few catch-up reads run at
 * once, so clients replaying from the start share the store with everything else instead of
 * taking it over.
 */
import type { LogPosition } from '../store/event-log.js';
import type { Store } from '../store/store.js';
import type { LiveBus } from './bus.js';
import { type FeedOptions, OrgFeed } from './org-feed.js';
import type { SseSubscriber } from './sse-subscriber.js';

export interface HubOptions extends Omit<FeedOptions, 'replayGate'> {
  heartbeatMs: number;
  /** Catch-up reads allowed at once on this instance. */
  replayReads: number;
}

export const HUB_DEFAULTS: Omit<HubOptions, 'onError'> = {
  pollMs: 1_000,
  chunk: 500,
  replayChunk: 200,
  stallMs: 10_000,
  heartbeatMs: 15_000,
  replayReads: 2,
};

/** Runs at most `limit` reads at a time, in arrival order. */
function gate(limit: number): <T>(read: () => Promise<T>) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async (read) => {
    if (running >= limit) await new Promise<void>((resolve) => waiting.push(resolve));
    else running++;
    try {
      return await read();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
    }
  };
}

export class LiveHub {
  private readonly feeds = new Map<string, OrgFeed>();
  private readonly options: FeedOptions;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    private readonly store: Store,
    private readonly bus: LiveBus,
    options: Partial<HubOptions> & Pick<HubOptions, 'onError'>,
  ) {
    const all = { ...HUB_DEFAULTS, ...options };
    this.options = { ...all, replayGate: gate(all.replayReads) };
    this.heartbeat = setInterval(() => {
      for (const feed of this.feeds.values()) for (const sub of feed.members) sub.ping();
    }, all.heartbeatMs);
    this.heartbeat.unref();
  }

  /**
   * Opens `sub` at `start` (undefined: where its organization's feed stands now). Resolves
   * once the feed knows its position, calling `ready` just before the stream's first write.
   * `ready` may refuse (throw): nothing has been written then.
   */
  async open(
    sub: SseSubscriber,
    start: LogPosition | undefined,
    connectedId: (at: LogPosition) => string,
    ready: () => void,
  ): Promise<void> {
    let feed = this.feeds.get(sub.orgId);
    if (!feed) {
      feed = new OrgFeed(this.store, sub.orgId, this.bus, this.options);
      this.feeds.set(sub.orgId, feed);
    }
    feed.members.add(sub);
    try {
      await feed.position();
      ready();
    } catch (error) {
      this.leave(sub);
      throw error;
    }
    if (sub.closed) this.leave(sub);
    else feed.attach(sub, start, connectedId);
  }

  leave(sub: SseSubscriber): void {
    const feed = this.feeds.get(sub.orgId);
    if (feed?.leave(sub)) {
      feed.stop();
      this.feeds.delete(sub.orgId);
    }
  }

  /** Open streams on this instance. */
  get streams(): number {
    let n = 0;
    for (const feed of this.feeds.values()) n += feed.members.size;
    return n;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const feed of this.feeds.values()) {
      feed.stop();
      for (const sub of feed.members) sub.end();
    }
    this.feeds.clear();
  }
}
