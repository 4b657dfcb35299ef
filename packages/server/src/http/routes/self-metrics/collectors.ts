/**
 * The server's own metrics (extended API section 8), one prom-client registry per app (tests run
 * several servers in one process). Request counts and latencies are recorded as answers leave;
 * store-wide numbers (events stored, store size, consumer lag, outbox depth) are read when
 * Prometheus scrapes, each at most every few seconds however often it does.
 */
import { statSync } from 'node:fs';
import { sql } from 'kysely';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Store } from '../../../store/store.js';

/** Store reads behind the gauges are shared by scrapes this close together. */
const READ_EVERY_MS = 5_000;

const INGEST_ROUTES = new Set([
  'POST /api/v1/events',
  'POST /api/v1/otlp/v1/traces',
  'POST /api/v1/otlp/traces',
  'POST /api/v1/metrics/webhook',
]);

export interface SelfMetrics {
  registry: Registry;
  /** Records one answered request; `route` is the route pattern (`/api/v1/events/:id`), or null when none matched. */
  observe(method: string, route: string | null, status: number, seconds: number): void;
  sseClients: Gauge;
}

interface StoreNumbers {
  events: number;
  sizeBytes: number;
  lag: { name: string; behind: number; oldestAgeMs: number }[];
  outbox: { state: string; n: number }[];
}

async function readStore(store: Store): Promise<StoreNumbers> {
  const now = Date.now();
  const counted = await store.readDb
    .selectFrom('events')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirst();
  let sizeBytes = 0;
  if (store.engine === 'sqlite') {
    for (const file of [store.location, `${store.location}-wal`]) {
      try {
        sizeBytes += statSync(file).size;
      } catch {
        // no WAL file right after a checkpoint
      }
    }
  } else {
    const row = await sql<{ size: string }>`select pg_database_size(current_database()) as size`.execute(
      store.db,
    );
    sizeBytes = Number(row.rows[0]?.size ?? 0);
  }
  const lag = [];
  for (const cursor of await store.consumerCursors.list()) {
    lag.push({ name: cursor.name, ...(await store.consumerCursors.lag(cursor.position, now)) });
  }
  const outbox = await store.db
    .selectFrom('outbox')
    .select(['state', (eb) => eb.fn.countAll().as('n')])
    .where('state', 'in', ['pending', 'sending'])
    .groupBy('state')
    .execute();
  return {
    events: Number(counted?.n ?? 0),
    sizeBytes,
    lag,
    outbox: outbox.map((r) => ({ state: String(r.state), n: Number(r.n) })),
  };
}

export function createSelfMetrics(store: Store): SelfMetrics {
  const registry = new Registry();
  let cached: { at: number; numbers: Promise<StoreNumbers> } | null = null;
  const numbers = () => {
    const now = Date.now();
    if (!cached || now - cached.at > READ_EVERY_MS) {
      cached = { at: now, numbers: readStore(store) };
      cached.numbers.catch(() => {
        cached = null;
      });
    }
    return cached.numbers;
  };

  const requests = new Counter({
    name: 'opstrails_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
  const ingest = new Histogram({
    name: 'opstrails_ingest_duration_seconds',
    help: 'Time to answer an ingest request (events, OTLP traces, metric points), by route',
    labelNames: ['route'] as const,
    buckets,
    registers: [registry],
  });
  const query = new Histogram({
    name: 'opstrails_query_duration_seconds',
    help: 'Time to answer a read under /api/v1 (GET), by route; the live stream is left out',
    labelNames: ['route'] as const,
    buckets,
    registers: [registry],
  });
  new Gauge({
    name: 'opstrails_events_stored',
    help: 'Events in the store, every organization',
    registers: [registry],
    async collect() {
      this.set((await numbers()).events);
    },
  });
  new Gauge({
    name: 'opstrails_store_size_bytes',
    help: 'Size of the store: the SQLite file and its WAL, or the PostgreSQL database',
    registers: [registry],
    async collect() {
      this.set((await numbers()).sizeBytes);
    },
  });
  new Gauge({
    name: 'opstrails_consumer_lag_events',
    help: "Events stored after a consumer's cursor (counted up to 100,000), by consumer",
    labelNames: ['consumer'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of (await numbers()).lag) this.set({ consumer: c.name }, c.behind);
    },
  });
  new Gauge({
    name: 'opstrails_consumer_lag_seconds',
    help: 'Age of the oldest event a consumer has not handled yet, by consumer',
    labelNames: ['consumer'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const c of (await numbers()).lag) this.set({ consumer: c.name }, c.oldestAgeMs / 1000);
    },
  });
  new Gauge({
    name: 'opstrails_outbox_depth',
    help: 'Deliveries (notifications, forwarded events) not yet sent, by state',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      this.set({ state: 'pending' }, 0);
      this.set({ state: 'sending' }, 0);
      for (const row of (await numbers()).outbox) this.set({ state: row.state }, row.n);
    },
  });
  const sseClients = new Gauge({
    name: 'opstrails_sse_clients',
    help: 'Open live-feed streams (GET /api/v1/events/stream) on this instance',
    registers: [registry],
  });

  return {
    registry,
    sseClients,
    observe(method, route, status, seconds) {
      const pattern = route ?? 'unmatched';
      requests.inc({ method, route: pattern, status: String(status) });
      const key = `${method} ${pattern}`;
      if (INGEST_ROUTES.has(key)) ingest.observe({ route: pattern }, seconds);
      else if (method === 'GET' && pattern.startsWith('/api/v1/') && pattern !== '/api/v1/events/stream')
        query.observe({ route: pattern }, seconds);
    },
  };
}
