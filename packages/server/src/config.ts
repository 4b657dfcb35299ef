/**
 * Every setting of the server, parsed and validated once at start. Nothing else reads
 * `process.env`. docs/configuration.md lists the same settings; keep the two together.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { type OAuthConfig, parseOAuthConfig } from './auth/oauth/oauth-config.js';
import { type ChannelsConfig, parseChannelsConfig } from './channels/channels-config.js';
import { type NetworkConfig, parseNetworkConfig } from './network-config.js';
import { type OperationsConfig, parseOperationsConfig } from './operations-config.js';
import { type OutboundConfig, parseOutboundConfig } from './outbound/outbound-config.js';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string | undefined;
  /** The URL people and clients reach the server at; derived from host and port when unset. */
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'silent';
  /** Timeouts, connection and body-memory caps, trusted proxies (network-config.ts). */
  network: NetworkConfig;
  /** Which non-public targets requests made for an organization may reach (outbound/). */
  outbound: OutboundConfig;
  /** OAuth for remote MCP clients (auth/oauth/). */
  oauth: OAuthConfig;
  /** SQLite: reader threads for slow reads (0: all reads on the main connection). */
  sqliteReaders: number;
  /** SQLite: `full` survives power loss, `normal` only a crash of the process. */
  sqliteSync: 'full' | 'normal';
  /** Notification channels: the mail server, the sender address and the key of stored secrets (channels/). */
  channels: ChannelsConfig;
  /** Operators' controls: request rate limit, the /metrics token (operations-config.ts). */
  operations: OperationsConfig;
  /** How long version detection waits after a version's first span before it decides (0: at once). */
  versionDetectionGraceMs: number;
}

/** Flags of `opstrails serve`; each overrides its environment variable. */
export interface ConfigOverrides {
  host?: string;
  port?: string | number;
  dataDir?: string;
  databaseUrl?: string;
  logLevel?: string;
}

/** A setting that stops the start: the message names the setting, the value and the fix. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'silent'] as const;
const SQLITE_READERS_MAX = 32;

function parseSqliteReaders(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > SQLITE_READERS_MAX) {
    throw new ConfigError(
      `OPSTRAILS_SQLITE_READERS="${raw}" is not a thread count: use a whole number from 0 to ${SQLITE_READERS_MAX} (0 reads on the main connection)`,
    );
  }
  return Number(raw);
}

function parseSqliteSync(raw: string): Config['sqliteSync'] {
  const value = raw.toLowerCase();
  if (value !== 'full' && value !== 'normal') {
    throw new ConfigError(
      `OPSTRAILS_SQLITE_SYNC="${raw}" is not a sync mode: use full (survives power loss) or normal (survives a crash of the process only)`,
    );
  }
  return value;
}

/** Default of OPSTRAILS_VERSION_DETECTION_GRACE_MS: 15 minutes, time for a pipeline to report after its rollout. */
export const VERSION_DETECTION_GRACE_MS = 900_000;

function parseGrace(raw: string): number {
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new ConfigError(
      `OPSTRAILS_VERSION_DETECTION_GRACE_MS="${raw}" is not a duration: use a whole number of milliseconds (e.g. 900000 for 15 minutes), or 0 to decide at once`,
    );
  }
  return Number(raw);
}

function parsePort(raw: string, setting: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 65_535) {
    throw new ConfigError(
      `${setting}="${raw}" is not a port: use a whole number from 0 to 65535 (0 picks a free port)`,
    );
  }
  return Number(raw);
}

function parseDatabaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(
      `DATABASE_URL="${raw}" is not a URL: use postgres://user:password@host:5432/database`,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(
      `DATABASE_URL uses "${url.protocol}", but only PostgreSQL is supported (postgres://…); unset it to use the embedded SQLite store`,
    );
  }
  return raw;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env, flags: ConfigOverrides = {}): Config {
  const host = flags.host ?? env.OPSTRAILS_HOST ?? '127.0.0.1';
  if (host.trim() === '')
    throw new ConfigError('OPSTRAILS_HOST / --host is empty: use an address such as 127.0.0.1 or 0.0.0.0');
  const port = parsePort(
    String(flags.port ?? env.OPSTRAILS_PORT ?? '8080'),
    flags.port !== undefined ? '--port' : 'OPSTRAILS_PORT',
  );
  const rawDir = flags.dataDir ?? env.OPSTRAILS_DATA_DIR ?? resolve(homedir(), '.opstrails');
  const dataDir = resolve(rawDir.replace(/^~(?=$|\/)/, homedir()));
  const rawDb = flags.databaseUrl ?? env.DATABASE_URL;
  const databaseUrl = rawDb ? parseDatabaseUrl(rawDb) : undefined;
  const logLevel = (flags.logLevel ?? env.OPSTRAILS_LOG_LEVEL ?? 'warn') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(
      `OPSTRAILS_LOG_LEVEL="${logLevel}" is not a level: use one of ${LOG_LEVELS.join(', ')}`,
    );
  }
  const displayHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const publicUrl = (env.OPSTRAILS_PUBLIC_URL ?? `http://${displayHost}:${port}`).replace(/\/+$/, '');
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(
      `OPSTRAILS_PUBLIC_URL="${publicUrl}" is not a URL: use e.g. https://opstrails.example.com`,
    );
  }
  const sqliteReaders = parseSqliteReaders(env.OPSTRAILS_SQLITE_READERS ?? '2');
  const sqliteSync = parseSqliteSync(env.OPSTRAILS_SQLITE_SYNC ?? 'full');
  const network = parseNetworkConfig(env);
  const outbound = parseOutboundConfig(env);
  const oauth = parseOAuthConfig(env);
  const channels = parseChannelsConfig(env);
  const operations = parseOperationsConfig(env);
  const rawGrace = env.OPSTRAILS_VERSION_DETECTION_GRACE_MS?.trim();
  const versionDetectionGraceMs = rawGrace ? parseGrace(rawGrace) : VERSION_DETECTION_GRACE_MS;
  return {
    host,
    port,
    dataDir,
    databaseUrl,
    publicUrl,
    logLevel,
    sqliteReaders,
    sqliteSync,
    network,
    outbound,
    oauth,
    channels,
    operations,
    versionDetectionGraceMs,
  };
}
