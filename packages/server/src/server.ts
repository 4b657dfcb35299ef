/** Starts a server: opens and migrates the store, makes sure the default organization exists, listens. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { KeyVerifier } from './auth/key-verifier.js';
import { withChannelReactions } from './channels/reactions.js';
import { type HealthCheckRunner, startHealthChecks } from './checks/runner.js';
import type { Config } from './config.js';
import { buildApp } from './http/app.js';
import type { AppContext } from './http/context.js';
import { friendlyZodMessages } from './http/validate.js';
import { scheduleImpactFillIn } from './impact/fill-in.js';
import { scheduleMetricMaintenance } from './jobs/metric-rollup.js';
import { scheduleRetention } from './jobs/retention.js';
import { LiveBus } from './live/bus.js';
import { PgFanout } from './live/pg-fanout.js';
import { builtInConsumers } from './reactions/consumers/index.js';
import { scheduleVersionDetection } from './reactions/consumers/version-detection.js';
import { type Reactions, type ReactionsOptions, startReactions } from './reactions/reactions.js';
import type { Organization } from './store/organizations.js';
import { openStore, type Store, type StoreOptions } from './store/store.js';
import { QuotaGuard } from './usage/quota.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  /** The URL the server listens on (with the real port when port 0 was asked for). */
  url: string;
  defaultOrg: Organization;
  /** The event log's consumers and the outbox worker (status, lag). */
  reactions: Reactions;
  /** The health-check runner (checks/runner.ts): `runDue` runs the due checks at once. */
  healthChecks: HealthCheckRunner;
  close(): Promise<void>;
}

export async function startServer(
  config: Config,
  storeOptions: Partial<StoreOptions> = {},
  reactionOptions: ReactionsOptions = {},
): Promise<RunningServer> {
  // The MCP SDK checks tool arguments against our zod schemas without parse options; as the
  // global fallback these messages reach it too ("from: is required", not zod's defaults).
  z.config({ customError: friendlyZodMessages });
  const store = await openStore({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    backgroundCheckpoints: true,
    sqliteReaders: config.sqliteReaders,
    sqliteSync: config.sqliteSync,
    ...storeOptions,
  });
  let fanout: PgFanout | null = null;
  let reactions: Reactions | null = null;
  try {
    const defaultOrg = await store.organizations.ensureDefault();
    const bus = new LiveBus();
    const ctx: AppContext = {
      config,
      store,
      bus,
      keys: new KeyVerifier(store),
      quota: new QuotaGuard(store),
    };
    const app = buildApp(ctx);
    // Several instances on one PostgreSQL: wake each other's live streams.
    fanout =
      store.engine === 'postgres' && config.databaseUrl
        ? await PgFanout.start(bus, config.databaseUrl, (err) => app.log.warn({ err }, 'live fan-out'))
        : null;
    const consumers = [...builtInConsumers(config), ...(reactionOptions.consumers ?? [])];
    const withChannels = withChannelReactions(store, config, { ...reactionOptions, consumers });
    reactions = await startReactions(store, bus, withChannels, (err, where) =>
      app.log.error({ err }, `reactions: ${where} failed`),
    );
    await app.listen({ host: config.host, port: config.port });
    const stopRetention = scheduleRetention(store, (err) => app.log.error({ err }, 'retention run failed'));
    const stopMetrics = scheduleMetricMaintenance(store, (err) =>
      app.log.error({ err }, 'metric roll-up failed'),
    );
    const stopImpact = scheduleImpactFillIn(store, config, (err) =>
      app.log.error({ err }, 'impact fill-in failed'),
    );
    const stopVersionDetection = scheduleVersionDetection(store, config.versionDetectionGraceMs, (err) =>
      app.log.error({ err }, 'version detection decision failed'),
    );
    const healthChecks = startHealthChecks(ctx, (err) => app.log.error({ err }, 'health check run failed'));
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    const host =
      config.host === '0.0.0.0' || config.host === '::'
        ? '127.0.0.1'
        : config.host.includes(':')
          ? `[${config.host}]`
          : config.host;
    return {
      app,
      store,
      url: `http://${host}:${port}`,
      defaultOrg,
      reactions,
      healthChecks,
      async close() {
        await stopRetention();
        await stopMetrics();
        await stopImpact();
        await stopVersionDetection();
        await healthChecks.stop();
        await app.close();
        await reactions?.stop();
        await fanout?.close();
        await store.close();
      },
    };
  } catch (error) {
    await reactions?.stop();
    await fanout?.close();
    await store.close();
    throw error;
  }
}
