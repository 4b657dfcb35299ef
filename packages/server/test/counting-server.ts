/**
 * Test-only program (reactions-multi-instance.test.ts starts it as a separate process, twice):
 * an OpsTrails server, configured from the environment like `opstrails serve`, with one extra
 * consumer that records every event it handles in `test_handled` (a table the test creates), in
 * the batch's transaction. The test counts those rows: each stored event must appear once.
 */
import { type Consumer, loadConfig, startServer } from '@opstrails/server';
import { sql } from 'kysely';

const counter: Consumer = {
  name: 'test-counter',
  batchSize: 50,
  backfill: true,
  async handle(events, trx) {
    for (const e of events)
      await sql`insert into test_handled (seq, txid, event_id, pid) values (${e.seq}, ${e.txid}, ${e.id}, ${process.pid})`.execute(
        trx,
      );
  },
};

const server = await startServer(loadConfig(process.env, { port: 0 }), {}, { consumers: [counter] });
process.stdout.write(`running at ${server.url}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
