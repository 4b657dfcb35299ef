/**
 * The outbound address policy's one setting, OPSTRAILS_ALLOW_PRIVATE_TARGETS: comma-separated
 * addresses, CIDR ranges and host names that requests made for an organization may reach even
 * though they are not public (a Prometheus on localhost:9090, an internal webhook receiver).
 * Parsed by loadConfig (config.ts); docs/configuration.md lists it.
 */
import { ConfigError } from '../config.js';
import { ALLOW_SETTING, type AllowEntry, parseAllowList } from './address-policy.js';

export interface OutboundConfig {
  /** Non-public targets the operator allows; empty = only public addresses. */
  allowPrivateTargets: AllowEntry[];
}

export function parseOutboundConfig(env: NodeJS.ProcessEnv): OutboundConfig {
  try {
    return { allowPrivateTargets: parseAllowList(env[ALLOW_SETTING] ?? '') };
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}
