/**
 * A server with one benchmark consumer (bench/consumer-lag.bench.ts starts it as its own
 * process): for every event it handles, the consumer writes how long ago the event was received
 * into `bench_lag`, in the batch's transaction like a real consumer's effects. Configured from the
 * environment like `opstrails serve`.
 */
import { type Consumer, loadConfig, startServer } from '@opstrails/server';
import { sql } from 'kysely';

const lagRecorder: Consumer = {
  name: 'bench-lag',
  async handle(events, trx) {
    const now = Date.now();
    await sql`insert into bench_lag (seq, lag_ms) values ${sql.join(
      events.map((e) => sql`(${e.seq}, ${now - Number(e.received_at)})`),
    )}`.execute(trx);
  },
};

// BENCH_NO_CONSUMER=1: the same server without it, the ingest baseline.
const consumers = process.env.BENCH_NO_CONSUMER === '1' ? [] : [lagRecorder];
const server = await startServer(loadConfig(process.env, { port: 0 }), {}, { consumers });
await sql`create table if not exists bench_lag (seq bigint not null, lag_ms bigint not null)`.execute(
  server.store.db,
);
process.stdout.write(`running at ${server.url}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
