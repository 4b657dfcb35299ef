/**
 * Test-only program (channels-restart.test.ts starts it as a separate process and kills it with
 * SIGKILL): an OpsTrails server configured from the environment like `opstrails serve`, with
 * short outbox timings so a claim left by a killed process ends within seconds.
 */
import { loadConfig, startServer } from '@opstrails/server';

const server = await startServer(
  loadConfig(process.env, { port: 0 }),
  {},
  {
    consumerOptions: { pollMs: 200 },
    outboxOptions: { pollMs: 200, sendTimeoutMs: 1_000, backoff: { baseMs: 100, maxMs: 300 } },
  },
);
process.stdout.write(`running at ${server.url}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
