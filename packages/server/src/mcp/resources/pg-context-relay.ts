/**
 * Business context changes across server instances on PostgreSQL: the instance that stores a
 * context announces it with a NOTIFY, and every other instance tells its own listening MCP
 * clients. (New events need no relay: the live bus already wakes every instance.) A wake-up
 * signal only: a notification lost while reconnecting costs that one notice, and the client
 * still reads the current context whenever it reads the resource.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const CONTEXT_CHANNEL = 'opstrails_mcp_context';
const RECONNECT_MS = 2_000;

export class PgContextRelay {
  private client: pg.Client | null = null;
  private closed = false;
  /** Tells our own notifications apart from other instances'. */
  private readonly instanceId = randomBytes(6).toString('base64url');

  private constructor(
    private readonly connectionString: string,
    private readonly onRemoteChange: (orgId: string) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  static async start(
    connectionString: string,
    onRemoteChange: (orgId: string) => void,
    onError: (error: unknown) => void,
  ): Promise<PgContextRelay> {
    const relay = new PgContextRelay(connectionString, onRemoteChange, onError);
    await relay.connect();
    return relay;
  }

  /** Tells the other instances that this organization's context changed. */
  announce(orgId: string): void {
    this.client
      ?.query('SELECT pg_notify($1, $2)', [CONTEXT_CHANNEL, `${this.instanceId}|${orgId}`])
      .catch((error) => this.onError(error));
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.connectionString });
    client.on('notification', (message) => {
      const [instance, orgId] = (message.payload ?? '').split('|');
      if (instance && orgId && instance !== this.instanceId) this.onRemoteChange(orgId);
    });
    client.on('error', (error) => {
      this.onError(error);
      this.reconnectLater(client);
    });
    client.on('end', () => this.reconnectLater(client));
    await client.connect();
    await client.query(`LISTEN ${CONTEXT_CHANNEL}`);
    this.client = client;
  }

  private reconnectLater(client: pg.Client): void {
    if (this.closed || this.client !== client) return;
    this.client = null;
    setTimeout(() => {
      if (!this.closed) this.connect().catch((error) => this.onError(error));
    }, RECONNECT_MS).unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
