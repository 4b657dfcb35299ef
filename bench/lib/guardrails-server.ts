/**
 * The server of bench/guardrails.bench.ts, run from the sources (no build needed), configured
 * from the environment like `opstrails serve`: every built-in consumer runs, guardrails included.
 */
import { loadConfig } from '../../packages/server/src/config.js';
import { startServer } from '../../packages/server/src/server.js';

const server = await startServer(loadConfig(process.env, { port: 0 }));
process.stdout.write(`running at ${server.url}\n`);
process.on('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
