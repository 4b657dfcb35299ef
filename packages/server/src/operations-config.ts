/**
 * Operators' settings (extended API section 8): the request rate limit and the token that opens
 * `/metrics` to addresses other than loopback. Read once at start by config.ts.
 */
import { ConfigError } from './config.js';

export interface OperationsConfig {
  /** Requests per second per API key (per client address for requests without one); null = off. */
  rateLimit: number | null;
  /** Bearer token `/metrics` accepts from non-loopback addresses; unset = loopback only. */
  metricsToken: string | undefined;
}

export function parseOperationsConfig(env: NodeJS.ProcessEnv): OperationsConfig {
  const raw = env.OPSTRAILS_RATE_LIMIT?.trim();
  let rateLimit: number | null = null;
  if (raw !== undefined && raw !== '' && raw !== '0' && raw.toLowerCase() !== 'off') {
    if (!/^\d{1,9}$/.test(raw)) {
      throw new ConfigError(
        `OPSTRAILS_RATE_LIMIT="${raw}" is not a rate: use a whole number of requests per second (e.g. 50), or 0 / off for no limit`,
      );
    }
    rateLimit = Number(raw);
  }
  const metricsToken = env.OPSTRAILS_METRICS_TOKEN?.trim() || undefined;
  if (metricsToken !== undefined && metricsToken.length < 16) {
    throw new ConfigError(
      'OPSTRAILS_METRICS_TOKEN is shorter than 16 characters: use a random value, e.g. openssl rand -hex 32',
    );
  }
  return { rateLimit, metricsToken };
}
