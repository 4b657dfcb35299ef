/**
 * Live-feed fan-out across server instances on PostgreSQL: every local publish becomes a NOTIFY
 * (coalesced per organization per tick), and every NOTIFY from another instance wakes this
 * instance's readers. It is a wake-up signal only; readers read the event log from their own
 * positions and poll each second anyway, so a lost notification (a reconnect, a restart) costs
 * latency, never events.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { LiveBus } from './bus.js';

export const CHANNEL = 'opstrails_events';
const RECONNECT_MS = 2_000;

export class PgFanout {
  private client: pg.Client | null = null;
  private closed = false;
  private readonly pending = new Map<string, number>();
  private flushQueued = false;
  private flushing = false;
  /** Tells our own notifications apart from other instances'. */
  readonly instanceId = randomBytes(6).toString('base64url');

  private constructor(
    private readonly bus: LiveBus,
    private readonly connectionString: string,
    private readonly onError: (error: unknown) => void,
  ) {}

  static async start(
    bus: LiveBus,
    connectionString: string,
    onError: (error: unknown) => void = () => undefined,
  ): Promise<PgFanout> {
    const fanout = new PgFanout(bus, connectionString, onError);
    await fanout.connect();
    bus.setRelay((orgId, seq) => fanout.queue(orgId, seq));
    return fanout;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (message) => this.received(message.payload));
    client.on('error', (error) => {
      this.onError(error);
      this.reconnectLater(client);
    });
    client.on('end', () => this.reconnectLater(client));
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    this.client = client;
  }

  private reconnectLater(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    setTimeout(() => {
      if (!this.closed) this.connect().catch((error) => this.onError(error));
    }, RECONNECT_MS).unref();
  }

  private received(payload: string | undefined): void {
    const [instance, orgId, seq] = (payload ?? '').split('|');
    if (!instance || !orgId || instance === this.instanceId) return;
    this.bus.deliver(orgId, Number(seq));
  }

  private queue(orgId: string, seq: number): void {
    this.pending.set(orgId, Math.max(seq, this.pending.get(orgId) ?? 0));
    if (this.flushQueued || this.flushing) return;
    this.flushQueued = true;
    setImmediate(() => void this.flush());
  }

  /**
   * One statement per tick for every organization with news, and never two at once on the
   * connection: pg queues a second query behind a running one, a use it deprecates (pg 9 refuses
   * it). What arrives meanwhile waits in `pending` and goes out right after, still coalesced.
   */
  private async flush(): Promise<void> {
    this.flushQueued = false;
    const client = this.client;
    if (!client || this.pending.size === 0) {
      this.pending.clear();
      return;
    }
    const payloads = [...this.pending].map(([orgId, seq]) => `${this.instanceId}|${orgId}|${seq}`);
    this.pending.clear();
    this.flushing = true;
    try {
      await client.query('SELECT pg_notify($1, payload) FROM unnest($2::text[]) AS payload', [
        CHANNEL,
        payloads,
      ]);
    } catch (error) {
      this.onError(error);
    } finally {
      this.flushing = false;
    }
    if (this.pending.size > 0 && !this.closed) void this.flush();
  }

  async close(): Promise<void> {
    this.closed = true;
    this.bus.setRelay(null);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
